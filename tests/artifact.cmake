# Model-artifact tests: every tests/integration/artifact_*.sh drives the real
# binary (unit tests of the readers are tests/unit/test_art_*.c, fuzz
# targets tests/fuzz/fuzz_*.c: both picked up by their own globs).
file(GLOB LL_ARTIFACT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/integration/artifact_*.sh)
foreach(t IN LISTS LL_ARTIFACT_TESTS)
  get_filename_component(name ${t} NAME_WE)
  string(REPLACE "_" "-" name ${name})
  add_test(NAME ${name} COMMAND bash ${t} $<TARGET_FILE:loadlint>)
  set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endforeach()
