# netc_add_model()'s configure-time checks: each bad argument is a CMake error that names it, said when the
# project configures (not when it builds). Then PYTORCH: the module is built, and its path is given.
# Run by ctest: cmake -DNETC=<netc> -DNETC_SOURCE_DIR=<tree> -DWORK=<scratch dir> -DPYTHON=<python3> -P netc_add_model.cmake
set(project "${CMAKE_CURRENT_LIST_DIR}/add_model_project")
set(model "${project}/digits.net")
set(cases
  "no_model|INPUT,8x8x1|netc_add_model(model): MODEL <file.net> is required"
  "missing_model|MODEL,nothere.net|netc_add_model(model): MODEL 'nothere.net' is not a file (looked for ${project}/nothere.net)"
  "model_is_directory|MODEL,${project}|netc_add_model(model): MODEL '${project}' is not a file (looked for ${project})"
  "input_two_dims|MODEL,digits.net,INPUT,28x28|netc_add_model(model): INPUT '28x28' is not HxWxC with sizes from 1 to 2147483647, like 224x224x3"
  "input_zero|MODEL,digits.net,INPUT,0x28x1|netc_add_model(model): INPUT '0x28x1' is not HxWxC with sizes from 1 to 2147483647, like 224x224x3"
  "input_too_large|MODEL,digits.net,INPUT,28x28x2147483648|netc_add_model(model): INPUT '28x28x2147483648' is not HxWxC with sizes from 1 to 2147483647, like 224x224x3"
  "input_leading_zero|MODEL,digits.net,INPUT,028x28x1|netc_add_model(model): INPUT '028x28x1' is not HxWxC with sizes from 1 to 2147483647, like 224x224x3"
  "input_not_dims|MODEL,digits.net,INPUT,big|netc_add_model(model): INPUT 'big' is not HxWxC with sizes from 1 to 2147483647, like 224x224x3"
  "input_without_value|MODEL,digits.net,INPUT|netc_add_model(model): INPUT is given without a value"
  "classes_zero|MODEL,digits.net,CLASSES,0|netc_add_model(model): CLASSES '0' is not a class count from 1 to 2147483647"
  "classes_negative|MODEL,digits.net,CLASSES,-3|netc_add_model(model): CLASSES '-3' is not a class count from 1 to 2147483647"
  "classes_word|MODEL,digits.net,CLASSES,ten|netc_add_model(model): CLASSES 'ten' is not a class count from 1 to 2147483647"
  "classes_too_large|MODEL,digits.net,CLASSES,99999999999|netc_add_model(model): CLASSES '99999999999' is not a class count from 1 to 2147483647"
  "name_not_identifier|MODEL,digits.net,NAME,my-model|netc_add_model(model): NAME 'my-model' is not a C++ identifier (letters, digits, _)"
  "classes_without_value|MODEL,digits.net,CLASSES,NAME,d|netc_add_model(model): CLASSES is given without a value"
  "unknown_argument|MODEL,digits.net,PYTORCHH|netc_add_model(model): unknown arguments PYTORCHH")

# CMake wraps and indents messages: compare with whitespace collapsed.
function(collapse text out)
  string(REGEX REPLACE "[ \t\r\n]+" " " text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK}")
set(failures 0)
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" fields "${case}")
  list(GET fields 0 name)
  list(GET fields 1 args)
  list(GET fields 2 expected)
  execute_process(COMMAND ${CMAKE_COMMAND} -S "${project}" -B "${WORK}/${name}" "-DNETC=${NETC}"
                          "-DNETC_SOURCE_DIR=${NETC_SOURCE_DIR}" "-DARGS=${args}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  collapse("${err}" said)
  collapse("${expected}" wanted)
  string(FIND "${said}" "${wanted}" at)
  string(FIND "${said}" "CMakeLists.txt:13 (netc_add_model)" call)
  if(rc EQUAL 0 OR at LESS 0 OR call LESS 0)
    message(SEND_ERROR "${name}: configuring should fail with\n  ${expected}\nat CMakeLists.txt:13; it said (exit ${rc}):\n${err}")
    math(EXPR failures "${failures} + 1")
  else()
    message(STATUS "${name}: ${expected}")
  endif()
endforeach()

# PYTORCH: configuring gives the module's path; building the module writes it and safetensors_io.py beside it.
execute_process(COMMAND ${CMAKE_COMMAND} -S "${project}" -B "${WORK}/pytorch" "-DNETC=${NETC}"
                        "-DNETC_SOURCE_DIR=${NETC_SOURCE_DIR}" "-DARGS=MODEL,digits.net,INPUT,12x12x1,CLASSES,4,NAME,digits,PYTORCH"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring with PYTORCH failed:\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/pytorch" --target module RESULT_VARIABLE rc ERROR_VARIABLE err)
file(READ "${WORK}/pytorch/module_path.txt" module)
if(NOT rc EQUAL 0 OR NOT module STREQUAL "${WORK}/pytorch/model_netc/digits.py" OR NOT EXISTS "${module}"
   OR NOT EXISTS "${WORK}/pytorch/model_netc/safetensors_io.py")
  message(FATAL_ERROR "PYTORCH: building the module failed (${rc}) or it is not at ${WORK}/pytorch/model_netc/digits.py "
                      "(the variable says '${module}'):\n${err}")
endif()
file(READ "${module}" text)
string(FIND "${text}" "Model 'digits': input 12x12x1, output 4;" header)
if(header LESS 0)
  message(FATAL_ERROR "PYTORCH: ${module} is not the model at 12x12x1 with 4 classes")
endif()
message(STATUS "PYTORCH: ${module}")
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of the cases failed")
endif()
