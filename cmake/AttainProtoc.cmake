# attain_protoc(SOURCES_VAR ROOT_DIR NAME OUT_DIR [GRPC]): compiles ROOT_DIR/NAME.proto to
# OUT_DIR/NAME.pb.{h,cc} (and NAME.grpc.pb.{h,cc} with GRPC), appending the generated
# files to SOURCES_VAR. Explicit commands rather than protobuf_generate, which places
# outputs of protos outside the source tree (Debian's googleapis) in the wrong folder.
function(attain_protoc sources_var root name out_dir)
  set(outputs ${out_dir}/${name}.pb.cc ${out_dir}/${name}.pb.h)
  set(grpc_args)
  if(ARGN STREQUAL "GRPC")
    list(APPEND outputs ${out_dir}/${name}.grpc.pb.cc ${out_dir}/${name}.grpc.pb.h)
    set(grpc_args --grpc_out=${out_dir}
                  --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND protobuf::protoc --cpp_out=${out_dir} ${grpc_args}
            -I${root} -I${PROJECT_SOURCE_DIR}/proto -I${Protobuf_INCLUDE_DIRS}
            ${root}/${name}.proto
    DEPENDS ${root}/${name}.proto protobuf::protoc
    COMMENT "protoc ${name}.proto"
    VERBATIM)
  set(${sources_var} ${${sources_var}} ${outputs} PARENT_SCOPE)
endfunction()
