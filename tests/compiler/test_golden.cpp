// Golden text per stage: for every shipped model, the AST dump, the IR dump and the summary must equal the
// texts in tests/golden/ (reviewed by hand when written; tools/update-golden.sh rewrites them on purpose).
#include <doctest/doctest.h>

#include "Harness.hpp"

namespace netc::test {

TEST_CASE("each stage's text for the shipped models equals its golden file") {
  const char* models[] = {"models/vgg16.net", "models/resnet50.net", "models/resnet50_torchvision.net",
                          "models/course/vgg16_course.net", "models/course/resnet50_course.net",
                          "models/vgg11.net", "models/vgg13.net", "models/vgg19.net",
                          "models/resnet18_torchvision.net", "models/resnet34_torchvision.net",
                          "models/resnet101_torchvision.net", "models/resnet152_torchvision.net",
                          // branches joined by concatenation
                          "tests/golden/models/branches.net",
                          // InceptionV3 (Keras's and torchvision's), ResNeXt50 32x4d
                          "models/inception_v3.net", "models/inception_v3_torchvision.net",
                          "models/resnext50_32x4d.net",
                          // MobileNetV2 and DenseNet121
                          "models/mobilenet_v2.net", "models/mobilenet_v2_keras.net",
                          "models/densenet121.net"};
  const std::pair<const char*, const char*> stages[] = {
      {"emit --target ast", "ast"}, {"emit --target ir", "ir"}, {"summary", "summary"}};
  for (const char* model : models) {
    std::string name = model;
    name = name.substr(name.rfind('/') + 1);
    name = name.substr(0, name.size() - 4);
    for (const auto& [command, extension] : stages) {
      std::string golden_path = source_dir() + "/tests/golden/" + name + "." + extension;
      SUBCASE((name + "." + extension).c_str()) {
        RunResult r = run_netc(std::string(command) + " " + model, source_dir());
        std::string golden = read_file(golden_path);
        INFO(golden_path, "\n", first_difference(golden, r.out));
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        CHECK(!golden.empty());
        CHECK(r.out == golden);
      }
    }
  }
}

}  // namespace netc::test

namespace netc::test {

TEST_CASE("the emitted C++ of the shipped models equals generated/") {
  for (const char* name : {"vgg16", "resnet50"}) {
    TempDir temp;
    const std::string& dir = temp.path();
    RunResult r = run_netc(std::string("emit models/") + name + ".net --target cpp -o " + dir + " --name " + name,
                           source_dir());
    CHECK(r.exit_code == 0);
    for (const char* extension : {".hpp", ".cpp"}) {
      std::string golden = read_file(source_dir() + "/generated/" + name + extension);
      std::string emitted = read_file(dir + "/" + name + extension);
      INFO(name, extension, "\n", first_difference(golden, emitted));
      CHECK(!golden.empty());
      CHECK(emitted == golden);
    }
  }
}

}  // namespace netc::test
