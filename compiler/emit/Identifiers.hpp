// Identifiers and text that netc writes into generated C++ and Python. Names made from .net names collide
// with nothing the generated code or the languages define, by construction rather than by a list of bad
// words; paths, arguments and names written into comments and strings are escaped, so that none of their
// characters can end a comment or a string.
#pragma once

#include <string>
#include <string_view>

namespace netc {

/// The stem of every identifier made from a .net layer name: the name itself when it is plain (it neither
/// begins nor ends with '_' and holds no "__"), else "_x" then the name with each '_' written "_u"
/// ("__init" -> "_x_u_uinit", "conv_" -> "_xconv_u"). Distinct names give distinct stems (escaped stems begin
/// with '_', plain ones do not); no stem holds "__" or begins with '_' and a capital, so none is reserved
/// outside the global namespace; and every identifier netc makes from a stem adds a suffix that begins
/// with '_' ("_", "_out", "_logits"), which no keyword, no standard macro and no name of the generated code's
/// own ends with.
std::string identifier_stem(std::string_view name);

/// The class of the generated C++ and Python: the name in CamelCase (vgg16 -> Vgg16, resnet50_course ->
/// Resnet50Course), with "Model" in front when that would not be a safe class name: empty, beginning with a
/// digit (_1x -> Model1x), in capitals and digits only, the form of C macros (n_a_n -> ModelNAN, e_o_f ->
/// ModelEOF), or a name the generated files see at global scope (Eigen; Python's None, True, False).
std::string class_name(std::string_view name);

/// Text for a comment in either language: printable ASCII and valid UTF-8 kept; anything else (line breaks,
/// other control characters, invalid bytes, Unicode's line separators and bidirectional controls) written as
/// C escapes (\n, \x1b, \u202e), and so are the backslash (\x5c) and the second of two question marks (a
/// trigraph of two question marks and a slash is a backslash): a comment stays on one line, shows what it
/// holds, and never ends in a backslash, which would continue it on the next line in C++.
std::string comment_text(std::string_view text);

}  // namespace netc
