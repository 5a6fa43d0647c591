#!/usr/bin/env bash
# The main job: build netc and the examples only (netc compiles the shipped models into them; the test suite
# is tools/test.sh's to build), print what netc says of each shipped model, then run the generated VGG16 and
# ResNet50 on an image with deterministic random weights: top-5 classes and time per image. (Random weights
# make the classes meaningless; the point is the pipeline. tests/pytorch checks the numbers against PyTorch.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets="netc netc_examples"  # all the main job runs; tests/tools/main_job_targets.cmake reads this line
NETC_BUILD_TARGETS="$targets" "$root/tools/build.sh"
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

# The worked example on real data: digit classifiers trained in PyTorch (tools/train_digits.py), run in C++.
for model in digits_vgg digits_resnet; do
  echo
  echo "\$ build/examples/digits/evaluate_$model examples/digits/$model.safetensors examples/digits/heldout.safetensors"
  "build/examples/digits/evaluate_$model" "examples/digits/$model.safetensors" examples/digits/heldout.safetensors
done
for image in examples/digits/images/heldout_0_label_7.pgm examples/digits/images/heldout_2_label_3.pgm; do
  echo "\$ build/examples/digits/classify_digits_resnet examples/digits/digits_resnet.safetensors $image"
  build/examples/digits/classify_digits_resnet examples/digits/digits_resnet.safetensors "$image"
done
