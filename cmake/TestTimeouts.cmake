# Every ctest test has a TIMEOUT: NETC_TEST_TIMEOUT seconds (the default, set here only) unless the test sets
# its own, larger one where it needs it. A directory that adds tests calls netc_default_test_timeouts() once;
# the check test `test_timeouts` (tests/tools) fails for any test of the build left without a TIMEOUT.
set(NETC_TEST_TIMEOUT 300 CACHE STRING "Seconds a ctest test may run unless it sets its own TIMEOUT")

# Gives every test of the calling directory that has no TIMEOUT the default, at the end of the directory
# (so the tests added after the call are covered too).
function(netc_default_test_timeouts)
  cmake_language(DEFER CALL _netc_apply_default_test_timeouts)
endfunction()

function(_netc_apply_default_test_timeouts)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(test IN LISTS tests)
    get_test_property(${test} TIMEOUT timeout)
    if(NOT timeout)
      set_tests_properties(${test} PROPERTIES TIMEOUT ${NETC_TEST_TIMEOUT})
    endif()
  endforeach()
endfunction()
