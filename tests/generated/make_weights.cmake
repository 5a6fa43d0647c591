# Writes the random weights that the generated-code tests load (run by ctest before them).
file(MAKE_DIRECTORY ${OUT})
function(netc_weights model seed out)
  execute_process(COMMAND ${NETC} weights ${model} --random --seed ${seed} -o ${OUT}/${out} ${ARGN}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "netc weights ${model} failed (${rc})")
  endif()
endfunction()
netc_weights(${SOURCE}/tests/generated/tiny.net 7 tiny.safetensors)
netc_weights(${SOURCE}/tests/generated/tiny.net 7 tiny_3_classes.safetensors --classes 3)
netc_weights(${SOURCE}/tests/generated/tiny.net 7 tiny_other_input.safetensors --input 12x7x3)
netc_weights(${SOURCE}/models/resnet50.net 1 resnet50.safetensors)
netc_weights(${SOURCE}/models/vgg16.net 1 vgg16.safetensors)
