# Older x86-64 CPUs, emulated by Debian's qemu-user: -cpu Haswell (AVX2 + FMA, no AVX-512; qemu 7.2 emulates
# AVX2, and the TCG features it lacks, irrelevant here, are turned off so that it prints no warnings) and
# -cpu Nehalem (SSE4.2, no AVX). On each: the runtime chooses the best kernels the CPU has (avx2, generic) and
# passes all of its kernel tests there; the digits example gives the same predictions as natively; netc itself
# runs (check, and random weights byte for byte as natively); on Haswell, NETC_ISA=avx512 is a clear error.
# Included by tests/runtime/CMakeLists.txt on x86-64 hosts; label "qemu".
find_program(NETC_QEMU qemu-x86_64)
set(qemu_cpus "Haswell,-pcid,-x2apic,-tsc-deadline,-hle,-invpcid,-rtm|avx2" "Nehalem|generic")
set(expect ${CMAKE_CURRENT_SOURCE_DIR}/expect_output.cmake)
set(same ${CMAKE_CURRENT_SOURCE_DIR}/same_output.cmake)
foreach(spec ${qemu_cpus})
  string(REPLACE "|" ";" fields "${spec}")
  list(GET fields 0 cpu)
  list(GET fields 1 isa)
  string(REGEX REPLACE ",.*" "" name "${cpu}")
  string(TOLOWER "qemu_${name}" name)
  set(prefix "${NETC_QEMU}|-cpu|${cpu}")
  set(tests ${name}_isa ${name}_runtime ${name}_netc_weights ${name}_netc_check)
  if(NOT NETC_QEMU)
    foreach(test ${tests})
      add_test(NAME ${test} COMMAND /usr/bin/python3 -c
               "import sys; print('qemu-x86_64 is not installed (tools/install-deps.sh installs qemu-user)'); sys.exit(77)")
      set_tests_properties(${test} PROPERTIES SKIP_RETURN_CODE 77 LABELS qemu)
    endforeach()
    continue()
  endif()
  add_test(NAME ${name}_isa COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:netc_isa_probe> "-DPREFIX=${prefix}"
           -DEXIT=0 -DSTDERR= -DSTDOUT=${isa} -P ${expect})
  add_test(NAME ${name}_runtime COMMAND ${NETC_QEMU} -cpu ${cpu} $<TARGET_FILE:netc_runtime_tests>)
  set_tests_properties(${name}_runtime PROPERTIES ENVIRONMENT NETC_EXPECT_ISA=${isa} TIMEOUT 900)
  add_test(NAME ${name}_netc_weights COMMAND ${CMAKE_COMMAND} "-DPREFIX=${prefix}"
           "-DRUN=$<TARGET_FILE:netc>|weights|${PROJECT_SOURCE_DIR}/examples/digits/digits_resnet.net|--random|-o|@OUT@"
           -DWORK=${CMAKE_CURRENT_BINARY_DIR}/${name}_netc_weights -P ${same})
  add_test(NAME ${name}_netc_check COMMAND ${CMAKE_COMMAND} "-DPREFIX=${prefix}"
           "-DRUN=$<TARGET_FILE:netc>|check|${PROJECT_SOURCE_DIR}/models/resnet50.net"
           -DWORK=${CMAKE_CURRENT_BINARY_DIR}/${name}_netc_check -P ${same})
  if(TARGET evaluate_digits_vgg)
    foreach(model digits_vgg digits_resnet)
      set(data ${PROJECT_SOURCE_DIR}/examples/digits)
      add_test(NAME ${name}_${model} COMMAND ${CMAKE_COMMAND} "-DPREFIX=${prefix}"
               "-DRUN=$<TARGET_FILE:evaluate_${model}>|${data}/${model}.safetensors|${data}/heldout.safetensors"
               "-DIGNORE=[0-9.]+ ms for the" -DWORK=${CMAKE_CURRENT_BINARY_DIR}/${name}_${model} -P ${same})
      list(APPEND tests ${name}_${model})
    endforeach()
  endif()
  if(isa STREQUAL "avx2")  # asking for AVX-512 where there is none
    set(refused "NETC_ISA=avx512: this CPU does not support AVX-512 (avx512f, avx512dq, avx512bw, avx512vl) (or the \
operating system does not enable its registers); it supports: avx2, generic")
    add_test(NAME ${name}_avx512_refused COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:netc_isa_probe>
             "-DPREFIX=${prefix}" -DENV=NETC_ISA=avx512 -DEXIT=1 "-DSTDERR=isa_probe: error: ${refused}" -P ${expect})
    list(APPEND tests ${name}_avx512_refused)
    if(TARGET evaluate_digits_vgg)  # by a model's constructor
      add_test(NAME ${name}_model_avx512_refused COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:evaluate_digits_vgg>
               "-DARGS=${data}/digits_vgg.safetensors|${data}/heldout.safetensors" "-DPREFIX=${prefix}"
               -DENV=NETC_ISA=avx512 -DEXIT=1 "-DSTDERR=evaluate: error: ${refused}" -P ${expect})
      list(APPEND tests ${name}_model_avx512_refused)
    endif()
  endif()
  set_tests_properties(${tests} PROPERTIES LABELS qemu)
endforeach()
