# netc_add_model(<target> MODEL <file.net> [INPUT HxWxC] [CLASSES N] [NAME <name>] [SELECT <model>]
#                [WEIGHTS <file.safetensors>] [PYTORCH])
#
# Runs netc at build time on MODEL (again whenever it or a file it imports changes) and makes <target>, a
# static library holding the generated class: `#include "<name>.hpp"` and link <target>. NAME is the file
# and class base name (default: the target's name); SELECT picks a model in a file that defines several.
# The arguments are checked when CMake configures: MODEL must exist, INPUT be HxWxC and CLASSES N with sizes
# from 1 to 2147483647, NAME a C++ identifier; a mistake is a CMake error that names the argument.
#
# PYTORCH: building <target> also writes the model as a PyTorch module, <name>.py, for training scripts,
# with safetensors_io.py (which saves its weights for the C++ class) beside it. Its path is in the variable
# <target>_PYTORCH_MODULE and in <target>'s property NETC_PYTORCH_MODULE.
#
# WEIGHTS links the weights file into the library as data (assembled from a .S file with .incbin, 64-byte
# aligned, again whenever the file changes): the class's embedded_weights() returns it, so that
# `Class model(Class::embedded_weights());` needs no file at run time.
if(NOT DEFINED NETC_TOOLS_DIR)  # in netc's own tree; an installed package sets it (netcConfig.cmake)
  set(NETC_TOOLS_DIR "${CMAKE_CURRENT_LIST_DIR}/../tools")
endif()
set_property(GLOBAL PROPERTY NETC_TOOLS_DIR "${NETC_TOOLS_DIR}")

# A size as netc takes it: digits, no sign or leading zero, from 1 to 2147483647.
function(_netc_is_size value out)
  set(ok FALSE)
  if(value MATCHES "^[1-9][0-9]*$")
    string(LENGTH "${value}" digits)
    if(digits LESS 10 OR (digits EQUAL 10 AND value STRLESS_EQUAL "2147483647"))
      set(ok TRUE)
    endif()
  endif()
  set(${out} ${ok} PARENT_SCOPE)
endfunction()

# The configure-time checks of netc_add_model's arguments (NETC_* as cmake_parse_arguments set them).
function(_netc_check_model_arguments target model)
  set(where "netc_add_model(${target})")
  foreach(keyword IN LISTS NETC_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${where}: ${keyword} is given without a value")
  endforeach()
  if(NOT EXISTS "${model}" OR IS_DIRECTORY "${model}")
    message(FATAL_ERROR "${where}: MODEL '${NETC_MODEL}' is not a file (looked for ${model})")
  endif()
  if(DEFINED NETC_INPUT)
    set(ok FALSE)
    if(NETC_INPUT MATCHES "^([0-9]+)x([0-9]+)x([0-9]+)$")
      set(dims "${CMAKE_MATCH_1};${CMAKE_MATCH_2};${CMAKE_MATCH_3}")
      set(ok TRUE)
      foreach(dim IN LISTS dims)
        _netc_is_size("${dim}" dim_ok)
        if(NOT dim_ok)
          set(ok FALSE)
        endif()
      endforeach()
    endif()
    if(NOT ok)
      message(FATAL_ERROR "${where}: INPUT '${NETC_INPUT}' is not HxWxC with sizes from 1 to 2147483647, "
                          "like 224x224x3")
    endif()
  endif()
  if(DEFINED NETC_CLASSES)
    _netc_is_size("${NETC_CLASSES}" ok)
    if(NOT ok)
      message(FATAL_ERROR "${where}: CLASSES '${NETC_CLASSES}' is not a class count from 1 to 2147483647")
    endif()
  endif()
  if(DEFINED NETC_NAME AND NOT NETC_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "${where}: NAME '${NETC_NAME}' is not a C++ identifier (letters, digits, _)")
  endif()
endfunction()

# PYTORCH: the module and safetensors_io.py in `dir`, made when <target> builds. `args` is the netc command
# line of the C++ code; the module's is the same with --target pytorch and its own depfile.
function(_netc_add_pytorch_module target model dir name args)
  get_property(tools GLOBAL PROPERTY NETC_TOOLS_DIR)
  foreach(flag_value "--target;pytorch" "--depfile;${dir}/${name}.py.d")
    list(GET flag_value 0 flag)
    list(GET flag_value 1 value)
    list(FIND args "${flag}" at)
    math(EXPR at "${at} + 1")
    list(REMOVE_AT args ${at})
    list(INSERT args ${at} "${value}")
  endforeach()
  add_custom_command(
    OUTPUT "${dir}/${name}.py" "${dir}/safetensors_io.py"
    COMMAND netc::netc ${args}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${tools}/safetensors_io.py" "${dir}/safetensors_io.py"
    DEPENDS "${model}" netc::netc "${tools}/safetensors_io.py"
    DEPFILE "${dir}/${name}.py.d"
    COMMENT "netc: compiling ${NETC_MODEL} to ${name}.py"
    VERBATIM)
  target_sources(${target} PRIVATE "${dir}/${name}.py")
  set_target_properties(${target} PROPERTIES NETC_PYTORCH_MODULE "${dir}/${name}.py")
endfunction()

function(netc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 NETC "PYTORCH" "MODEL;INPUT;CLASSES;NAME;SELECT;WEIGHTS" "")
  if(NOT NETC_MODEL)
    message(FATAL_ERROR "netc_add_model(${target}): MODEL <file.net> is required")
  endif()
  if(NETC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "netc_add_model(${target}): unknown arguments ${NETC_UNPARSED_ARGUMENTS}")
  endif()
  get_filename_component(model "${NETC_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  _netc_check_model_arguments(${target} "${model}")
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
  if(NETC_PYTORCH)
    _netc_add_pytorch_module(${target} "${model}" "${dir}" "${NETC_NAME}" "${args}")
    set(${target}_PYTORCH_MODULE "${dir}/${NETC_NAME}.py" PARENT_SCOPE)
  endif()
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
