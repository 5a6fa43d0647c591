# netc_add_model(<target> MODEL <file.net> [INPUT HxWxC] [CLASSES N] [NAME <name>] [SELECT <model>]
#                [WEIGHTS <file.safetensors>])
#
# Runs netc at build time on MODEL (again whenever it or a file it imports changes) and makes <target>, a
# static library holding the generated class: `#include "<name>.hpp"` and link <target>. NAME is the file
# and class base name (default: the target's name); SELECT picks a model in a file that defines several.
# WEIGHTS links the weights file into the library as data (assembled from a .S file with .incbin, 64-byte
# aligned, again whenever the file changes): the class's embedded_weights() returns it, so that
# `Class model(Class::embedded_weights());` needs no file at run time.
function(netc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 NETC "" "MODEL;INPUT;CLASSES;NAME;SELECT;WEIGHTS" "")
  if(NOT NETC_MODEL)
    message(FATAL_ERROR "netc_add_model(${target}): MODEL <file.net> is required")
  endif()
  if(NETC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "netc_add_model(${target}): unknown arguments ${NETC_UNPARSED_ARGUMENTS}")
  endif()
  get_filename_component(model "${NETC_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT NETC_NAME)
    set(NETC_NAME "${target}")
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_netc")
  set(args emit "${model}" --target cpp -o "${dir}" --name "${NETC_NAME}" --depfile "${dir}/${NETC_NAME}.d")
  if(NETC_INPUT)
    list(APPEND args --input "${NETC_INPUT}")
  endif()
  if(NETC_CLASSES)
    list(APPEND args --classes "${NETC_CLASSES}")
  endif()
  if(NETC_SELECT)
    list(APPEND args --model "${NETC_SELECT}")
  endif()
  add_custom_command(
    OUTPUT "${dir}/${NETC_NAME}.cpp" "${dir}/${NETC_NAME}.hpp"
    COMMAND netc::netc ${args}
    DEPENDS "${model}" netc::netc
    DEPFILE "${dir}/${NETC_NAME}.d"
    COMMENT "netc: compiling ${NETC_MODEL} to ${NETC_NAME}.hpp/.cpp"
    VERBATIM)
  add_library(${target} STATIC "${dir}/${NETC_NAME}.cpp" "${dir}/${NETC_NAME}.hpp")
  target_include_directories(${target} PUBLIC "${dir}")
  target_link_libraries(${target} PUBLIC netc::runtime)
  set_target_properties(${target} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
  if(NETC_WEIGHTS)
    _netc_embed_weights(${target} "${NETC_NAME}" "${NETC_WEIGHTS}" "${dir}")
  endif()
endfunction()

# Links the weights file into <target> as the symbols netc_weights_<name> (64-byte aligned) and
# netc_weights_<name>_size, which the generated class reads when NETC_EMBEDDED_WEIGHTS is defined. The .S file
# is assembled by the C++ compiler's driver, so that the project need not enable the ASM language.
function(_netc_embed_weights target name weights dir)
  get_filename_component(weights "${weights}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(IS_DIRECTORY "${weights}")  # a file that does not exist yet may be made by a custom command
    message(FATAL_ERROR "netc_add_model(${target}): WEIGHTS ${weights} is a directory")
  endif()
  if(weights MATCHES "[\n\r]")
    message(FATAL_ERROR "netc_add_model(${target}): WEIGHTS path contains a line break")
  endif()
  string(REPLACE "\\" "\\\\" quoted "${weights}")
  string(REPLACE "\"" "\\\"" quoted "${quoted}")
  set(symbol "netc_weights_${name}")
  file(CONFIGURE OUTPUT "${dir}/${name}_weights.S" @ONLY CONTENT [[
// Made by netc_add_model: the weights file as read-only data, for embedded_weights().
  .section .rodata.@symbol@,"a"
  .balign 64
  .globl @symbol@
  .type @symbol@, %object
@symbol@:
  .incbin "@quoted@"
@symbol@_end:
  .size @symbol@, @symbol@_end - @symbol@
  .balign 8
  .globl @symbol@_size
  .type @symbol@_size, %object
@symbol@_size:
  .quad @symbol@_end - @symbol@
  .size @symbol@_size, 8
  .section .note.GNU-stack,"",%progbits
]])
  set(object "${dir}/${name}_weights${CMAKE_CXX_OUTPUT_EXTENSION}")
  add_custom_command(
    OUTPUT "${object}"
    COMMAND ${CMAKE_CXX_COMPILER} -c "${dir}/${name}_weights.S" -o "${object}"
    DEPENDS "${dir}/${name}_weights.S" "${weights}"
    COMMENT "netc: embedding ${weights} in ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${object}")
  target_compile_definitions(${target} PRIVATE NETC_EMBEDDED_WEIGHTS)
endfunction()
