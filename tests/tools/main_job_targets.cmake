# The main job builds what it runs: the targets tools/main-job.sh builds need netc, the runtime and the
# examples, and none of the test suite (tests/) or the benchmark (bench/). Configures the project afresh with
# Ninja (nothing is built) and lists every command those targets would run (ninja -t commands).
# Run by ctest: cmake -DNETC_SOURCE_DIR=<tree> -DWORK=<scratch dir> -P main_job_targets.cmake
cmake_minimum_required(VERSION 3.25)
file(STRINGS "${NETC_SOURCE_DIR}/tools/main-job.sh" line REGEX "^targets=")
string(REGEX REPLACE "^targets=\"([^\"]*)\".*" "\\1" targets "${line}")
separate_arguments(targets UNIX_COMMAND "${targets}")
if(NOT targets)
  message(FATAL_ERROR "no targets=\"...\" line in tools/main-job.sh")
endif()
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND ${CMAKE_COMMAND} -G Ninja -S "${NETC_SOURCE_DIR}" -B "${WORK}" -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring with Ninja failed:\n${err}")
endif()

# The outputs (-o FILE) of the commands that building `names` runs, relative to the build directory.
function(outputs names out)
  execute_process(COMMAND ninja -C "${WORK}" -t commands ${names} RESULT_VARIABLE rc OUTPUT_VARIABLE commands
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ninja -t commands ${names} failed:\n${err}")
  endif()
  string(REGEX MATCHALL " -o [^ \n]+" found "${commands}")
  list(TRANSFORM found REPLACE "^ -o " "")
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

outputs("${targets}" built)
set(test_outputs "${built}")
list(FILTER test_outputs INCLUDE REGEX "^(tests|bench)/")
if(test_outputs)
  list(JOIN test_outputs "\n  " shown)
  message(FATAL_ERROR "building ${targets} builds tests or benchmarks:\n  ${shown}")
endif()
foreach(needed compiler/netc examples/classify_vgg16 examples/classify_resnet50 examples/digits/evaluate_digits_vgg
               examples/digits/evaluate_digits_resnet examples/digits/classify_digits_resnet)
  if(NOT needed IN_LIST built)
    message(FATAL_ERROR "building ${targets} does not build ${needed}, which the main job runs")
  endif()
endforeach()
# The check can see a test target: the whole build has them.
outputs(all everything)
list(FILTER everything INCLUDE REGEX "^tests/")
if(NOT everything)
  message(FATAL_ERROR "the full build shows no test outputs: this check would see none either")
endif()
list(LENGTH built count)
message(STATUS "${targets}: ${count} commands, none of them for tests/ or bench/")
