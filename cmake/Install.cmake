# Installing netc: the compiler, the runtime library and headers, the CMake package that another project
# finds with find_package(netc), the shipped block library (share/netc/blocks, where `import <name.net>`
# looks) and the Python helpers for training with the emitted PyTorch modules (share/netc/tools).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NETC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/netc)
set(NETC_TOOLS_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/netc/tools)
set(NETC_BLOCKS_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/netc/blocks)
install(TARGETS netc EXPORT netcTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS netc_runtime EXPORT netcTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/netc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT netcTargets NAMESPACE netc:: DESTINATION ${NETC_CMAKE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/tools/safetensors_io.py ${PROJECT_SOURCE_DIR}/tools/torchvision_names.py
  DESTINATION ${NETC_TOOLS_INSTALL_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/blocks/ DESTINATION ${NETC_BLOCKS_INSTALL_DIR} FILES_MATCHING PATTERN "*.net")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/netcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/netcConfig.cmake INSTALL_DESTINATION ${NETC_CMAKE_DIR}
  PATH_VARS NETC_TOOLS_INSTALL_DIR NETC_BLOCKS_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/netcConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/netcConfig.cmake ${PROJECT_BINARY_DIR}/netcConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/NetcFunctions.cmake DESTINATION ${NETC_CMAKE_DIR})
# The Python tools a user of pretrained weights needs (torchvision checkpoints, safetensors files), and the
# ImageNet class names: PREFIX/share/netc/.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tools/torchvision_names.py DESTINATION ${CMAKE_INSTALL_DATADIR}/netc/tools)
install(FILES ${PROJECT_SOURCE_DIR}/tools/safetensors_io.py DESTINATION ${CMAKE_INSTALL_DATADIR}/netc/tools)
install(FILES ${PROJECT_SOURCE_DIR}/examples/imagenet_classes.txt DESTINATION ${CMAKE_INSTALL_DATADIR}/netc)
