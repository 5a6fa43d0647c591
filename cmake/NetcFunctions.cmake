# netc_add_model(<target> MODEL <file.net> [INPUT HxWxC] [CLASSES N] [NAME <name>] [SELECT <model>])
#
# Runs netc at build time on MODEL (again whenever it or a file it imports changes) and makes <target>, a
# static library holding the generated class: `#include "<name>.hpp"` and link <target>. NAME is the file
# and class base name (default: the target's name); SELECT picks a model in a file that defines several.
function(netc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 NETC "" "MODEL;INPUT;CLASSES;NAME;SELECT" "")
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
endfunction()
