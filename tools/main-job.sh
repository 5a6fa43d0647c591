#!/usr/bin/env bash
# The main job: build netc, then compile the shipped models and print what netc says of them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/build.sh"
cd "$root"
for model in models/vgg16.net models/resnet50.net models/resnet50_torchvision.net \
             models/course/vgg16_course.net models/course/resnet50_course.net; do
  echo
  echo "\$ netc summary $model"
  build/compiler/netc summary "$model"
done
