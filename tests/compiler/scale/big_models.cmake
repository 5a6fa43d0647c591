# netc's commands on big generated models: `summary` of a model of about a million layers (the language's limit)
# and `emit --target cpp` of one of about a hundred thousand. They must finish within the test's timeout
# (ctest's TIMEOUT, set in CMakeLists.txt), which a pass that is quadratic in the layers does not: the arena
# plan once took 20 minutes for the summary. No time is asserted here.
# Usage: cmake -DNETC=path/to/netc -DWORK=dir -P big_models.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# A ResNet-style model of `uses` residual blocks (five layers each), ten per stage line, written a hundred
# lines at a time (appending to one long CMake string would copy it at every line).
function(write_model path uses)
  set(text "block unit(f) {\n  residual {\n    conv f 3x3 same relu\n    conv f 3x3 same\n    batchnorm\n  }\n  relu\n}\n")
  string(APPEND text "model big(input = 8x8x4, classes = 10) {\n  conv 4 3x3 same\n")
  file(WRITE "${path}" "${text}")
  string(REPEAT ", unit(4)" 9 rest)
  math(EXPR chunks "${uses} / 1000 - 1")
  foreach(chunk RANGE 0 ${chunks})
    set(text "")
    foreach(k RANGE 1 100)
      math(EXPR line "${chunk} * 100 + ${k}")
      string(APPEND text "  stage ${line}: unit(4)${rest}\n")
    endforeach()
    file(APPEND "${path}" "${text}")
  endforeach()
  file(APPEND "${path}" "  globalavgpool\n  dense classes softmax\n}\n")
endfunction()

function(run what)
  execute_process(COMMAND "${NETC}" ${ARGN} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc
                  OUTPUT_FILE "${WORK}/${what}.out" ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "netc ${ARGN}: exit status ${rc}\n${err}")
  endif()
endfunction()

# The last lines of a command's output, without reading all of it.
function(tail what out)
  file(SIZE "${WORK}/${what}.out" size)
  math(EXPR from "${size} - 2000")
  if(from LESS 0)
    set(from 0)
  endif()
  file(READ "${WORK}/${what}.out" text OFFSET ${from})
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

write_model("${WORK}/million.net" 199000)  # 995,000 block layers, and the input, stem, pooling and dense
run(summary summary million.net)
tail(summary text)
# Per block 2 x (4 x 4 x 3 x 3 + 4) convolution and 16 batch norm parameters; the stem 148, the dense layer 50.
if(NOT text MATCHES "Total params: 62,088,198 ")
  message(FATAL_ERROR "unexpected summary of million.net:\n${text}")
endif()
if(NOT text MATCHES "Activation arena \\(generated code\\): 2,064 ")
  message(FATAL_ERROR "unexpected arena of million.net (two 8x8x4 tensors alive at once: the second convolution adds the residual over it; and the pooled 4 floats, which outlive the steps run image by image):\n${text}")
endif()

write_model("${WORK}/hundred_k.net" 20000)  # 100,000 block layers
run(emit emit hundred_k.net --target cpp -o "${WORK}/out")
file(SIZE "${WORK}/out/big.cpp" size)
if(size LESS 10000000)
  message(FATAL_ERROR "big.cpp is only ${size} bytes")
endif()
message(STATUS "summary of ${WORK}/million.net and emit of ${WORK}/hundred_k.net done")
