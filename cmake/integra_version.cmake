# Writes the version and the git description (commit, "-dirty" if modified) into
# integra_version.hpp at build time, so `integra --version` and every output file name
# the exact source they came from. Outside a git checkout the commit is "unknown".
set(INTEGRA_VERSION_HEADER ${CMAKE_BINARY_DIR}/generated/integra_version.hpp)
add_custom_target(integra_version_header
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${INTEGRA_VERSION_HEADER}
          -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/write_version_header.cmake
  BYPRODUCTS ${INTEGRA_VERSION_HEADER}
  COMMENT "Recording the git commit")
