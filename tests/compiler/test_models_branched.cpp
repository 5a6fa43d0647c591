// The shipped models with branches (InceptionV3 in Keras's and torchvision's flavours, ResNeXt50 32x4d): their
// figures against the published ones; and the U-Net example's shapes over many input sizes, with the reason
// when an input size cannot work.
#include <algorithm>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "Harness.hpp"
#include "passes/ShapeInference.hpp"

namespace netc::test {

TEST_CASE("InceptionV3 at 299x299x3 has Keras applications' figures and names") {
  Compilation c = compile_shipped("models/inception_v3.net");
  REQUIRE_MESSAGE(c.ok(), c.rendered());
  ModelCounts counts = count(*c.graph);
  CHECK(counts.total_params() == 23'851'784);
  CHECK(counts.trainable_params == 23'817'352);
  CHECK(counts.non_trainable_params == 34'432);
  CHECK(counts.macs == 5'713'216'096);
  // The names of the published weights file: 94 conv2d_bn, the modules' concatenations, the classifier.
  for (const char* name : {"conv2d_1", "batch_normalization_1", "conv2d_94", "batch_normalization_94", "mixed0",
                           "mixed9_0", "mixed9_1", "mixed10", "avg_pool", "predictions"})
    CHECK_MESSAGE(find_node(*c.graph, name) != nullptr, name);
  CHECK(find_node(*c.graph, "mixed7")->shape == Shape{{17, 17, 768}});
  CHECK(find_node(*c.graph, "mixed10")->shape == Shape{{8, 8, 2048}});
  CHECK(c.graph->output().shape == Shape{{1000}});
}

TEST_CASE("torchvision's InceptionV3 and ResNeXt50 32x4d have torchvision's figures") {
  struct Figures {
    const char* file;
    std::int64_t trainable, macs;
    const char* last_map;  // the last layer before global pooling, with its shape
    Shape shape;
  };
  for (const Figures& f :
       {Figures{"models/inception_v3_torchvision.net", 23'834'568, 5'713'216'096, "concatMixed_7c",
                Shape{{8, 8, 2048}}},
        Figures{"models/resnext50_32x4d.net", 25'028'904, 4'230'479'872, "relu5c", Shape{{7, 7, 2048}}}}) {
    CAPTURE(f.file);
    Compilation c = compile_shipped(f.file);
    REQUIRE_MESSAGE(c.ok(), c.rendered());
    ModelCounts counts = count(*c.graph);
    CHECK(counts.trainable_params == f.trainable);
    CHECK(counts.macs == f.macs);
    REQUIRE(find_node(*c.graph, f.last_map) != nullptr);
    CHECK(find_node(*c.graph, f.last_map)->shape == f.shape);
    CHECK(c.graph->output().shape == Shape{{1000}});
  }
}

TEST_CASE("The U-Net keeps the input's size exactly when both sides are multiples of 8, and says why not") {
  for (std::int64_t h : {8, 16, 40, 96, 97, 100, 124, 127, 128}) {
    for (std::int64_t w : {8, 56, 60, 130, 136}) {
      CAPTURE(h);
      CAPTURE(w);
      Compilation c = compile_shipped("examples/unet/unet.net", {"", std::vector<std::int64_t>{h, w, 3}, 5});
      bool fits = h % 8 == 0 && w % 8 == 0;
      REQUIRE_MESSAGE(c.ok() == fits, c.rendered());
      if (fits) {
        CHECK(find_node(*c.graph, "bottom_conv_b") == nullptr);  // the block's layers are named after its use
        CHECK(find_node(*c.graph, "resbottom_conv_b")->shape == Shape{{h / 8, w / 8, 128}});
        CHECK(find_node(*c.graph, "skip1")->shape == Shape{{h, w, 48}});
        CHECK(c.graph->output().shape == Shape{{h, w, 5}});
        continue;
      }
      // The deepest level whose pool rounds a size down is where an upsampled map first fails to join (the
      // inner concats come first); heights are checked before widths.
      auto level_of = [](std::int64_t n) {  // the deepest pool k (1..3) whose input, n / 2^(k - 1), is odd; or 0
        int deepest = 0;
        for (int k = 1; k <= 3; ++k)
          if ((n >> (k - 1)) % 2 != 0) deepest = k;
        return deepest;
      };
      bool height = level_of(h) >= level_of(w);
      int level = std::max(level_of(h), level_of(w));
      std::int64_t size = (height ? h : w) >> (level - 1);
      std::string rendered = c.rendered();
      CHECK(rendered.find(fmt::format("error: concat 'skip{}': cannot join branch 2's", level)) != std::string::npos);
      CHECK(rendered.find(fmt::format("note: the {}s part at maxpool 'pool{}', which makes {} {} into {}: {} is not "
                                      "a multiple of 2", height ? "height" : "width", level, size,
                                      height ? "rows" : "columns", size / 2, size)) != std::string::npos);
    }
  }
}

}  // namespace netc::test
