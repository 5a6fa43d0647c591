# Installs netc from the build tree into a fresh prefix, makes weights with the installed netc, then configures,
# builds and runs the outside project against it. Run by ctest: cmake -DBUILD=<netc build dir> -DWORK=<scratch
# dir> -P run.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "$ ${ARGN}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()
file(REMOVE_RECURSE ${WORK})
run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix)
foreach(file share/netc/tools/safetensors_io.py share/netc/tools/torchvision_names.py share/netc/blocks/resnet.net
             share/netc/blocks/resnet_torchvision.net)
  if(NOT EXISTS ${WORK}/prefix/${file})
    message(FATAL_ERROR "the installed package lacks ${file}")
  endif()
endforeach()
run(${WORK}/prefix/bin/netc weights ${CMAKE_CURRENT_LIST_DIR}/digits.net --input 28x28x1 --classes 10 --random
    -o ${WORK}/digits.safetensors)
run(${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${WORK}/build -DCMAKE_PREFIX_PATH=${WORK}/prefix
    -DCMAKE_BUILD_TYPE=Release -DDIGITS_WEIGHTS=${WORK}/digits.safetensors)
run(${CMAKE_COMMAND} --build ${WORK}/build)
foreach(file digits.py safetensors_io.py)  # netc_add_model(... PYTORCH), from the installed package
  if(NOT EXISTS ${WORK}/build/digits_model_netc/${file})
    message(FATAL_ERROR "netc_add_model(... PYTORCH) did not write digits_model_netc/${file}")
  endif()
endforeach()
run(${WORK}/build/app ${WORK}/digits.safetensors)
