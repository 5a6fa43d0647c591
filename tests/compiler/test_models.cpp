// The shipped models: their figures (parameters, MACs) against the published ones, and their shapes over
// many input sizes against closed-form size formulas.
#include <doctest/doctest.h>

#include "Harness.hpp"
#include "passes/ShapeInference.hpp"

namespace netc::test {

namespace {

const Node& node_named(const Graph& g, const std::string& name) {
  const Node* n = find_node(g, name);
  if (n == nullptr) FAIL("no layer named " << name);
  return n ? *n : g.nodes.front();
}

}  // namespace

TEST_CASE("VGG16 at 224x224x3 and 1000 classes has Keras's figures") {
  Compilation c = compile_shipped("models/vgg16.net");
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  ModelCounts counts = count(*c.graph);
  CHECK(counts.total_params() == 138'357'544);
  CHECK(counts.trainable_params == 138'357'544);
  CHECK(counts.non_trainable_params == 0);
  CHECK(counts.macs == 15'470'264'320);
  CHECK(c.graph->output().shape == Shape{{1000}});
}

TEST_CASE("ResNet50 at 224x224x3 and 1000 classes has Keras applications' figures") {
  Compilation c = compile_shipped("models/resnet50.net");
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  ModelCounts counts = count(*c.graph);
  CHECK(counts.total_params() == 25'636'712);
  CHECK(counts.trainable_params == 25'583'592);
  CHECK(counts.non_trainable_params == 53'120);
  CHECK(counts.macs == 3'857'973'248);
  // The reference course's names, which are the weights' keys.
  for (const char* name : {"conv1", "bn_conv1", "res2a_branch2a", "bn2a_branch2a", "res2a_branch1", "bn2a_branch1",
                           "res5c_branch2c", "fc1000"})
    CHECK_MESSAGE(node_named(*c.graph, name).name == name, name);
}

TEST_CASE("torchvision's ResNet50 flavour has torchvision's figures") {
  Compilation c = compile_shipped("models/resnet50_torchvision.net");
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  ModelCounts counts = count(*c.graph);
  CHECK(counts.trainable_params == 25'557'032);
  CHECK(counts.macs == 4'089'184'256);
}

TEST_CASE("The VGG family has Keras's and torchvision's figures") {
  // Parameters as Keras applications and torchvision publish them; MACs counted on torchvision's modules with
  // forward hooks (convolutions out_h * out_w * out_c * in_c * kh * kw, linear layers in * out), which its
  // published GFLOPS round (7.61, 11.31, 19.63).
  struct Figures {
    const char* file;
    std::int64_t params, macs;
    int convolutions;
  };
  for (const Figures& f : {Figures{"models/vgg11.net", 132'863'336, 7'609'090'048, 8},
                           Figures{"models/vgg13.net", 133'047'848, 11'308'466'176, 10},
                           Figures{"models/vgg16.net", 138'357'544, 15'470'264'320, 13},
                           Figures{"models/vgg19.net", 143'667'240, 19'632'062'464, 16}}) {
    CAPTURE(f.file);
    Compilation c = compile_shipped(f.file);
    REQUIRE_MESSAGE(c.ok(), c.rendered());
    ModelCounts counts = count(*c.graph);
    CHECK(counts.total_params() == f.params);
    CHECK(counts.trainable_params == f.params);
    CHECK(counts.macs == f.macs);
    int convolutions = 0;
    for (const Node& n : c.graph->nodes) convolutions += n.op().keyword == "conv";
    CHECK(convolutions == f.convolutions);
    for (const char* name : {"block1_conv1", "block5_pool", "fc1", "fc2", "predictions"})
      CHECK_MESSAGE(node_named(*c.graph, name).name == name, name);
  }
}

TEST_CASE("The torchvision ResNet family has torchvision's figures") {
  // Trainable parameters as torchvision publishes them; MACs counted on torchvision's modules (see above),
  // which its published GFLOPS round (1.81, 3.66, 4.09, 7.80, 11.51). Non-trainable: the batch norms' means
  // and variances.
  struct Figures {
    const char* file;
    std::int64_t trainable, macs;
    const char* last_block;  // the last convolution of stage 4 (torchvision's layer3), named as
                             // tools/torchvision_names.py names it: blocks a..z, aa, ab, ...
    std::int64_t features;   // the channels global pooling sees: 512 (basic blocks) or 2048 (bottlenecks)
  };
  for (const Figures& f :
       {Figures{"models/resnet18_torchvision.net", 11'689'512, 1'814'073'344, "res4b_branch2b", 512},
        Figures{"models/resnet34_torchvision.net", 21'797'672, 3'663'761'408, "res4f_branch2b", 512},
        Figures{"models/resnet50_torchvision.net", 25'557'032, 4'089'184'256, "res4f_branch2c", 2048},
        Figures{"models/resnet101_torchvision.net", 44'549'160, 7'801'405'440, "res4w_branch2c", 2048},
        Figures{"models/resnet152_torchvision.net", 60'192'808, 11'513'626'624, "res4aj_branch2c", 2048}}) {
    CAPTURE(f.file);
    Compilation c = compile_shipped(f.file);
    REQUIRE_MESSAGE(c.ok(), c.rendered());
    ModelCounts counts = count(*c.graph);
    CHECK(counts.trainable_params == f.trainable);
    CHECK(counts.macs == f.macs);
    CHECK(node_named(*c.graph, f.last_block).shape == Shape{{14, 14, f.features / 2}});
    CHECK(node_named(*c.graph, "avg_pool").shape == Shape{{f.features}});
    CHECK(c.graph->output().shape == Shape{{1000}});
  }
}

TEST_CASE("The reference course's models keep the course's architecture") {
  Compilation vgg = compile_shipped("models/course/vgg16_course.net");
  REQUIRE_MESSAGE(vgg.ok(), vgg.rendered());
  // Three Dense(4096) layers as in the course's code: the real VGG16's 138,357,544 plus 4096*4096+4096,
  // with a 3-class classifier instead of 1000.
  CHECK(count(*vgg.graph).total_params() == 138'357'544 + 4096 * 4096 + 4096 - 997 * 4097);
  Compilation resnet = compile_shipped("models/course/resnet50_course.net");
  REQUIRE_MESSAGE(resnet.ok(), resnet.rendered());
  CHECK(resnet.graph->input == Shape{{64, 64, 3}});
  CHECK(node_named(*resnet.graph, "avg_pool").shape == Shape{{1, 1, 2048}});
  CHECK(node_named(*resnet.graph, "fc3").shape == Shape{{3}});
  // Keras reports 23,600,006 for this function with 6 classes; with 3 classes the classifier is 3*2049 smaller.
  CHECK(count(*resnet.graph).total_params() == 23'600'006 - 3 * 2049);
}

TEST_CASE("VGG16 works exactly when both sides are at least 32 (five 2x2 pools)") {
  for (std::int64_t h : {1, 16, 31, 32, 33, 63, 64, 97, 224, 225}) {
    for (std::int64_t w : {31, 32, 50, 224}) {
      Compilation c = compile_shipped("models/vgg16.net", {"", std::vector<std::int64_t>{h, w, 1}, 10});
      CAPTURE(h);
      CAPTURE(w);
      bool fits = h >= 32 && w >= 32;
      REQUIRE(c.ok() == fits);
      if (!fits) continue;
      CHECK(node_named(*c.graph, "block5_pool").shape == Shape{{h / 32, w / 32, 512}});
      CHECK(node_named(*c.graph, "flatten1").shape == Shape{{(h / 32) * (w / 32) * 512}});
      CHECK(c.graph->output().shape == Shape{{10}});
    }
  }
}

TEST_CASE("ResNet50's stage sizes follow the convolution arithmetic at any input") {
  auto conv = [](std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t pad) { return (in + pad - k) / s + 1; };
  for (std::int64_t h : {32, 64, 97, 131, 224, 227}) {
    for (std::int64_t w : {33, 97, 131, 224}) {
      CAPTURE(h);
      CAPTURE(w);
      Compilation c = compile_shipped("models/resnet50.net", {"", std::vector<std::int64_t>{h, w, 3}, 7});
      REQUIRE_MESSAGE(c.ok(), c.rendered());
      std::int64_t sh = conv(conv(h, 7, 2, 6), 3, 2, 2), sw = conv(conv(w, 7, 2, 6), 3, 2, 2);
      CHECK(node_named(*c.graph, "relu2c").shape == Shape{{sh, sw, 256}});
      for (const char* stage : {"relu3d", "relu4f", "relu5c"}) {
        sh = (sh + 1) / 2;  // a 1x1 convolution with stride 2: ceil(n / 2)
        sw = (sw + 1) / 2;
        CHECK_MESSAGE(node_named(*c.graph, stage).shape.dims[0] == sh, stage);
        CHECK_MESSAGE(node_named(*c.graph, stage).shape.dims[1] == sw, stage);
      }
      CHECK(c.graph->output().shape == Shape{{7}});
      CHECK(count(*c.graph).total_params() == 25'636'712 - 993 * 2049);  // only the classifier changes
    }
  }
}

// ---- MobileNetV2 and DenseNet121 ----
TEST_CASE("MobileNetV2 and DenseNet121 have Keras's and torchvision's figures") {
  // Keras applications' total (trainable / non-trainable) and torchvision's trainable parameters, which agree;
  // MACs counted on torchvision's modules with forward hooks (convolutions out_h * out_w * out_c * in_c / groups *
  // kh * kw, linear layers in * out), which its published GFLOPS round (0.30, 2.83).
  struct Figures {
    const char* file;
    std::int64_t total, trainable, non_trainable, macs;
    const char* last_map;  // the last layer before global pooling, 7x7 at 224x224
    std::int64_t features;
  };
  for (const Figures& f :
       {Figures{"models/mobilenet_v2.net", 3'538'984, 3'504'872, 34'112, 300'774'272, "out_relu", 1280},
        Figures{"models/mobilenet_v2_keras.net", 3'538'984, 3'504'872, 34'112, 300'774'272, "out_relu", 1280},
        Figures{"models/densenet121.net", 8'062'504, 7'978'856, 83'648, 2'834'161'664, "relu", 1024}}) {
    CAPTURE(f.file);
    Compilation c = compile_shipped(f.file);
    REQUIRE_MESSAGE(c.ok(), c.rendered());
    ModelCounts counts = count(*c.graph);
    CHECK(counts.total_params() == f.total);
    CHECK(counts.trainable_params == f.trainable);
    CHECK(counts.non_trainable_params == f.non_trainable);
    CHECK(counts.macs == f.macs);
    CHECK(node_named(*c.graph, f.last_map).shape == Shape{{7, 7, f.features}});
    CHECK(c.graph->output().shape == Shape{{1000}});
  }
}

TEST_CASE("MobileNetV2 adds its input only in the blocks of stride 1 that keep the channels") {
  Compilation c = compile_shipped("models/mobilenet_v2.net");
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  std::vector<std::string> adds;
  for (const Node& n : c.graph->nodes)
    if (n.op().keyword == "add") adds.push_back(n.name);
  // torchvision's blocks 3, 5, 6, 8, 9, 10, 12, 13, 15, 16 (of 17): the second and later of each sequence.
  CHECK(adds == std::vector<std::string>{"add2b", "add3b", "add3c", "add4b", "add4c", "add4d", "add5b", "add5c",
                                         "add6b", "add6c"});
  CHECK(node_named(*c.graph, "dwconv2a_depthwise").shape == Shape{{56, 56, 96}});
  CHECK(node_named(*c.graph, "res7a_project").shape == Shape{{7, 7, 320}});
}

TEST_CASE("Keras's MobileNetV2 has Keras's layer names and pads its stride-2 convolutions as `same`") {
  Compilation c = compile_shipped("models/mobilenet_v2_keras.net", {"", std::vector<std::int64_t>{75, 53, 3}, 10});
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  for (const char* name : {"Conv1", "bn_Conv1", "expanded_conv_depthwise", "expanded_conv_project_BN", "block_1_expand",
                           "block_2_add", "block_16_project_BN", "Conv_1", "Conv_1_bn", "predictions"})
    CHECK_MESSAGE(node_named(*c.graph, name).name == name, name);
  // `same` at stride 2: ceil(n / 2) at every size, 75x53 -> 38x27 -> 19x14 -> 10x7 -> 5x4 -> 3x2.
  CHECK(node_named(*c.graph, "bn_Conv1").shape == Shape{{38, 27, 32}});
  CHECK(node_named(*c.graph, "block_13_depthwise").shape == Shape{{3, 2, 576}});
  CHECK(node_named(*c.graph, "predictions").shape == Shape{{10}});
}

TEST_CASE("DenseNet121's dense blocks grow by 32 channels a layer and its transitions halve them") {
  Compilation c = compile_shipped("models/densenet121.net");
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  // 64 + 6 x 32 = 256 at 56x56, halved to 128 and 28x28; + 12 x 32 = 512, to 256 at 14x14; + 24 x 32 = 1024,
  // to 512 at 7x7; + 16 x 32 = 1024.
  CHECK(node_named(*c.graph, "concat2a_layer6").shape == Shape{{56, 56, 256}});
  CHECK(node_named(*c.graph, "avg_pool2b_transition").shape == Shape{{28, 28, 128}});
  CHECK(node_named(*c.graph, "concat3a_layer12").shape == Shape{{28, 28, 512}});
  CHECK(node_named(*c.graph, "avg_pool3b_transition").shape == Shape{{14, 14, 256}});
  CHECK(node_named(*c.graph, "concat4a_layer24").shape == Shape{{14, 14, 1024}});
  CHECK(node_named(*c.graph, "avg_pool4b_transition").shape == Shape{{7, 7, 512}});
  CHECK(node_named(*c.graph, "concat5a_layer16").shape == Shape{{7, 7, 1024}});
  CHECK(node_named(*c.graph, "res5a_layer16_x2").shape == Shape{{7, 7, 32}});
}
// ---- end MobileNetV2 and DenseNet121 ----

}  // namespace netc::test
