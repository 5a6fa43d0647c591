#!/usr/bin/env bash
# Rewrites tests/golden/: for each shipped model, its AST, IR and summary as netc prints them.
# Usage: tools/update-golden.sh [path/to/netc]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
netc=$(realpath "${1:-$root/build/compiler/netc}")
cd "$root"
for model in models/vgg16.net models/resnet50.net models/resnet50_torchvision.net models/course/vgg16_course.net \
             models/course/resnet50_course.net models/vgg11.net models/vgg13.net models/vgg19.net \
             models/resnet18_torchvision.net models/resnet34_torchvision.net models/resnet101_torchvision.net \
             models/resnet152_torchvision.net tests/golden/models/branches.net \
             models/inception_v3.net models/inception_v3_torchvision.net models/resnext50_32x4d.net \
             models/mobilenet_v2.net models/mobilenet_v2_keras.net models/densenet121.net; do
  name=$(basename "$model" .net)
  "$netc" emit "$model" --target ast > "tests/golden/$name.ast"
  "$netc" emit "$model" --target ir > "tests/golden/$name.ir"
  "$netc" summary "$model" > "tests/golden/$name.summary"
done
"$netc" emit models/vgg16.net --target cpp -o generated --name vgg16
"$netc" emit models/resnet50.net --target cpp -o generated --name resnet50
"$netc" summary models/resnet50.net --depth 0 > tests/golden/resnet50_depth0.summary
COLUMNS=100 "$netc" summary models/resnet50.net > tests/golden/resnet50_columns100.summary
"$netc" emit examples/digits/digits_resnet.net --target dot > tests/golden/digits_resnet.dot
"$netc" emit tests/golden/models/branches.net --target dot > tests/golden/branches.dot
"$netc" emit docs/resnet50_stage2.net --target svg -o docs/resnet50_stage2.svg
"$netc" --help > tests/golden/help/overview.txt
for command in check summary emit weights import help; do
  "$netc" help "$command" > "tests/golden/help/$command.txt"
done
