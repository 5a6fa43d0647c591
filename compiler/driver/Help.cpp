// The help texts (see Help.hpp). Each command's text: usage, what it does, its options, an example.
#include "driver/Help.hpp"

#include <map>

namespace netc {

namespace {

// The options every command that compiles a model takes.
constexpr const char* kModelOptions = R"(model options:
  --input HxWxC    input shape (overrides the model's `input` parameter), e.g. 224x224x3
  --classes N      class count (overrides the model's `classes` parameter)
  --model NAME     the model to compile, when the file defines more than one
  -I DIR           also look for `import <name.net>` files in DIR (before NETC_PATH and the installed
                   share/netc/blocks); may be given more than once
  --diagnostics-format text|json
                   diagnostics on standard error as text (the default) or as one JSON array: per
                   diagnostic its file, line, column, severity, message and notes
)";

constexpr const char* kOverview = R"(netc - compiles .net model descriptions to standalone C++ forward passes

usage: netc COMMAND MODEL.net [OPTIONS]

commands:
  check      check every shape; exit 0 when the model is valid
  summary    print a Keras-style table of layers, parameters and MACs (or JSON)
  emit       print the AST, IR or a Graphviz picture, or write C++ or PyTorch code
  weights    write deterministic random weights (safetensors)
  import     convert a Keras HDF5 weights file into the model's weights (safetensors)
  help       print a command's usage, options and an example: netc help COMMAND

other:
  netc --help | --version

Flags take their value as the next argument or after `=` (--input=32x32x3).
exit status: 0 success, 1 errors in the model or its files, 2 bad command-line usage.
diagnostics go to standard error as file:line:col: error: message.
Run 'netc help COMMAND' (or 'netc COMMAND --help') for a command's options.
)";

constexpr const char* kCheck = R"(usage: netc check MODEL.net [OPTIONS]

Parses MODEL.net and its imports, builds the model and checks every layer's shapes for the input size and
class count; prints one line and exits 0 when the model is valid, 1 with diagnostics when it is not.
%MODEL_OPTIONS%
example:
  netc check models/vgg16.net --input 64x64x1 --classes 10
)";

constexpr const char* kSummary = R"(usage: netc summary MODEL.net [OPTIONS] [--depth N] [--format text|json]

Prints a Keras-style table: each layer's name and type, output shape, parameters, MACs and what it reads;
then the totals (trainable and non-trainable parameters, MACs) and the activation memory.

options:
  --depth N        show block uses, boxes and repeats nested N deep; deeper ones collapse to one row each,
                   with their layers' parameters and MACs summed (--depth 0: one row per outermost use)
  --format text|json
                   the table (default), or JSON: every layer with its attributes, inputs, source location
                   and block-use chain, the totals and the memory figures (schema: docs/summary.schema.json)
  The table is as wide as the COLUMNS environment variable allows (names are shortened first; numbers
  are never cut).
%MODEL_OPTIONS%
examples:
  netc summary models/resnet50.net --input 97x131x3 --depth 0
  netc summary models/vgg16.net --format json > vgg16.json
)";

constexpr const char* kEmit = R"(usage: netc emit MODEL.net --target TARGET [OPTIONS]

Writes one stage of the compiler's work:
  --target ast         the syntax tree of MODEL.net (to standard output, or -o FILE)
  --target ir          the layer graph with shapes and source locations (standard output, or -o FILE)
  --target dot         a Graphviz picture: a node per layer (kind, output shape, parameters), an edge per
                       tensor, a cluster per block use, box and repeat (standard output, or -o FILE)
  --target svg         the same picture drawn by Graphviz's `dot -Tsvg` (needs graphviz; -o FILE.svg)
  --target cpp         DIR/NAME.hpp and DIR/NAME.cpp, a class that runs the model (needs -o DIR)
  --target pytorch     DIR/NAME.py, the same model as a torch.nn.Module (needs -o DIR)

options:
  -o PATH          the output file (ast, ir, dot, svg) or directory (cpp, pytorch)
  --name NAME      base name of the files and the class (default: the model's name)
  --depth N        dot and svg: clusters nested deeper than N drawn as one node each
  --depfile FILE   cpp and pytorch: also write a make/ninja rule listing the .net files read
%MODEL_OPTIONS%
examples:
  netc emit models/resnet50.net --target cpp -o out        # out/resnet50.hpp, out/resnet50.cpp
  netc emit models/resnet50.net --target svg -o resnet50.svg --depth 1
)";

constexpr const char* kWeights = R"(usage: netc weights MODEL.net --random [--seed S] -o FILE.safetensors [OPTIONS]

Writes deterministic He-initialised weights under the model's layer names, for demos, tests and
benchmarks: the same model, input, classes and seed give the same bytes on every machine.

options:
  --random         required: the weights are random
  --seed S         the random seed, a non-negative integer (default 0)
  -o FILE          the safetensors file to write
%MODEL_OPTIONS%
example:
  netc weights models/resnet50.net --random --seed 1 -o resnet50.safetensors
)";

constexpr const char* kImport = R"(usage: netc import MODEL.net KERAS.h5 -o FILE.safetensors [--allow-missing [--seed S]] [OPTIONS]

Reads the weights Keras saved: Keras 2's save_weights and model.save files (the Keras applications'
published files are of this kind) and Keras 3's .weights.h5. Pairs the file's layers with the model's by
name, checks every weight's shape and values, and converts the layouts: convolution kernels HWIO to OIHW,
dense kernels [in, out] to [out, in] and, after a flatten, from Keras's H,W,C order to C,H,W. A layer that
does not fit is an error, and then no file is written. The file records the model, input and classes it
was made for, and the Keras file's name.

options:
  -o FILE          the weights file to write (safetensors; the generated C++ and PyTorch code load it)
  --allow-missing  give the model's layers that the file lacks random weights instead of an error, for
                   instance a new classifier to train; a warning names them (--seed S: their seed)
%MODEL_OPTIONS%
example:
  netc import models/resnet50.net resnet50_weights_tf_dim_ordering_tf_kernels.h5 -o resnet50.safetensors
)";

constexpr const char* kHelp = R"(usage: netc help [COMMAND]

Prints the usage, options and an example of COMMAND (check, summary, emit, weights, import), or the list of
commands. `netc COMMAND --help` does the same.

example:
  netc help summary
)";

std::string with_model_options(std::string text) {
  const std::string marker = "%MODEL_OPTIONS%\n";
  if (std::size_t at = text.find(marker); at != std::string::npos)
    text.replace(at, marker.size(), "\n" + std::string(kModelOptions) + "\n");
  return text;
}

}  // namespace

std::optional<std::string> help_text(const std::string& command) {
  static const std::map<std::string, const char*> texts{
      {"", kOverview}, {"check", kCheck}, {"summary", kSummary}, {"emit", kEmit}, {"weights", kWeights},
      {"import", kImport}, {"help", kHelp}};
  auto it = texts.find(command);
  if (it == texts.end()) return std::nullopt;
  return with_model_options(it->second);
}

}  // namespace netc
