# Installing netc: the compiler, the runtime library and headers, and the CMake package that another
# project finds with find_package(netc).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NETC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/netc)
install(TARGETS netc EXPORT netcTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS netc_runtime EXPORT netcTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/netc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT netcTargets NAMESPACE netc:: DESTINATION ${NETC_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/netcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/netcConfig.cmake INSTALL_DESTINATION ${NETC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/netcConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/netcConfig.cmake ${PROJECT_BINARY_DIR}/netcConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/NetcFunctions.cmake DESTINATION ${NETC_CMAKE_DIR})
# The Python tools a user of pretrained weights needs (torchvision checkpoints, safetensors files), and the
# ImageNet class names: PREFIX/share/netc/.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tools/torchvision_names.py DESTINATION ${CMAKE_INSTALL_DATADIR}/netc/tools)
install(FILES ${PROJECT_SOURCE_DIR}/tools/safetensors_io.py DESTINATION ${CMAKE_INSTALL_DATADIR}/netc/tools)
install(FILES ${PROJECT_SOURCE_DIR}/examples/imagenet_classes.txt DESTINATION ${CMAKE_INSTALL_DATADIR}/netc)
