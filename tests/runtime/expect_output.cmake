# Runs a program and checks its exit status and its standard error exactly (a ctest test of a diagnostic).
# cmake -DPROGRAM=path [-DARGS=a|b] [-DENV=NAME=VALUE|...] [-DPREFIX=qemu-x86_64|-cpu|Haswell] -DEXIT=n
#       -DSTDERR=text [-DSTDOUT=text] -P expect_output.cmake   ('|' separates list items; PREFIX runs the program
#       under it; STDOUT, when given, is checked exactly too)
string(REPLACE "|" ";" args "${ARGS}")
string(REPLACE "|" ";" env "${ENV}")
string(REPLACE "|" ";" prefix "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env ${env} ${prefix} ${PROGRAM} ${args}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX REPLACE "\n$" "" err "${err}")
string(REGEX REPLACE "\n$" "" out "${out}")
if(NOT status STREQUAL EXIT OR NOT err STREQUAL STDERR OR (DEFINED STDOUT AND NOT out STREQUAL STDOUT))
  message(FATAL_ERROR "${PROGRAM} ${args} (environment: ${env})\n"
                      "exit status ${status}, expected ${EXIT}\nstandard error:\n${err}\nexpected:\n${STDERR}\n"
                      "standard output:\n${out}\nexpected:\n${STDOUT}")
endif()
