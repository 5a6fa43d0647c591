#!/usr/bin/env bash
# The main job: build netc (which compiles the shipped models into the example application), print what netc
# says of each shipped model, then run the generated VGG16 and ResNet50 on an image with deterministic random
# weights: top-5 classes and time per image. (Random weights make the classes meaningless; the point is the
# pipeline. tests/pytorch checks the numbers against PyTorch.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/build.sh"
cd "$root"
netc=build/compiler/netc
for model in models/vgg16.net models/resnet50.net models/resnet50_torchvision.net \
             models/course/vgg16_course.net models/course/resnet50_course.net; do
  echo
  echo "\$ netc summary $model"
  "$netc" summary "$model"
done
weights=build/weights
mkdir -p "$weights"
for model in vgg16 resnet50; do
  echo
  echo "\$ netc weights models/$model.net --random --seed 1 -o $weights/$model.safetensors"
  "$netc" weights "models/$model.net" --random --seed 1 -o "$weights/$model.safetensors"
  echo "\$ build/examples/classify_$model $weights/$model.safetensors examples/images/chelsea.png"
  "build/examples/classify_$model" "$weights/$model.safetensors" examples/images/chelsea.png
done
