"""attain-plan: a sales leader's plan for a team of channel managers, from attaind."""

VERSION = "1.0.0"
