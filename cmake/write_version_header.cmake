# Script mode: cmake -DSOURCE_DIR=... -DOUTPUT=... -DVERSION=... -P write_version_header.cmake
find_package(Git QUIET)
set(commit "unknown")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} describe --always --dirty --abbrev=12
                  OUTPUT_VARIABLE described RESULT_VARIABLE status ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(status EQUAL 0 AND described)
    set(commit "${described}")
  endif()
endif()
set(content "#pragma once\nnamespace integra {\ninline constexpr const char* version = \"${VERSION}\";\ninline constexpr const char* git_commit = \"${commit}\";\n}  // namespace integra\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} previous)
endif()
if(NOT "${previous}" STREQUAL "${content}")
  file(WRITE ${OUTPUT} "${content}")
endif()
