# Installation and packaging (cmake/install.cmake): `cmake --install` into a temporary
# prefix (binary, man page, completions, docs), the Debian package from cpack unpacked
# and run, the wheel in a virtual environment, the pre-commit `language: python`
# recipe with that wheel, and a LOADLINT_STATIC_DEPS build's manylinux wheel.
if(NOT LOADLINT_FUZZ)
  add_test(NAME install COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/install.sh
           $<TARGET_FILE:loadlint> ${CMAKE_BINARY_DIR})
  set_tests_properties(install PROPERTIES WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} TIMEOUT 300)
endif()
