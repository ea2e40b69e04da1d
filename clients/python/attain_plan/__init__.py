"""attain-plan: a sales leader's view of a team of channel managers, from attaind."""

# The project's version (CMakeLists.txt), written into every output.
VERSION = "0.1.0"
