# Layers: core <- models <- sim <- tools. Each layer's code includes "layer/file.hpp"
# through a folder of the build tree that holds links to its own layer and the layers
# below it only, so an upward include (models/ including sim/) is a compile error,
# not a review comment.
#
#   integra_layer_includes(TARGET PUBLIC|PRIVATE|INTERFACE LAYER...)
# makes TARGET see exactly the listed top-level folders of the source tree.
function(integra_layer_includes target scope)
  set(view ${PROJECT_BINARY_DIR}/layers/${target})
  file(MAKE_DIRECTORY ${view})
  foreach(layer IN LISTS ARGN)
    if(NOT EXISTS ${view}/${layer})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${layer} ${view}/${layer} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} ${scope} ${view})
endfunction()
