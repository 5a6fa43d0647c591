# Trains a digits model from scratch with the PyTorch module netc emits, then checks that the C++ model gives
# PyTorch's held-out predictions with the new weights. Skipped (exit 77) without PyTorch and scikit-learn.
# cmake -DPYTHON= -DSOURCE= -DNETC= -DEVALUATE= -DMODEL= -DWORK= -P digits_training.cmake
execute_process(COMMAND ${PYTHON} -c "import torch, sklearn" RESULT_VARIABLE missing OUTPUT_QUIET ERROR_QUIET)
if(missing)
  message("PyTorch or scikit-learn is not installed; skipped")
  cmake_language(EXIT 77)
endif()
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${PYTHON} ${SOURCE}/tools/train_digits.py --netc ${NETC} --model ${SOURCE}/examples/digits/${MODEL}.net
                        --out ${WORK} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "training failed (${rc})")
endif()
execute_process(COMMAND ${EVALUATE} ${WORK}/${MODEL}.safetensors ${WORK}/heldout.safetensors RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the C++ model does not reproduce PyTorch's predictions (${rc})")
endif()
