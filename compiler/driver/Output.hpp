// Where netc's results go: standard output, checked once flushed, and files written all or nothing (each to
// a temporary file beside its destination, renamed into place only when every one was written).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace netc {

// Each writer returns "" on success, else the error message ("cannot write 'PATH': REASON").

/// Writes text to standard output and flushes it; "cannot write standard output: REASON" when that fails
/// (a full disk, a closed pipe).
std::string write_stdout(const std::string& text);

/// One output file: its path and a function that writes its content to the given (temporary) path and
/// returns "" or what went wrong.
struct OutputFile {
  std::string path;
  std::function<std::string(const std::string& temporary)> write;
};

/// An output file whose content is text.
OutputFile text_file(std::string path, std::string text);

/// An output file written by a safetensors writer, which throws netc::rt::WeightsError; its message without the
/// temporary path's "PATH: cannot write: " is the error.
OutputFile weights_file(std::string path, std::function<void(const std::string& temporary)> write);

/// Writes every file to a fresh temporary file in its destination's directory, then renames them into place.
/// When one cannot be written, none of the destinations changes (the temporaries are removed). A destination
/// that exists and is neither a file nor a directory (/dev/null, a pipe) is written in place.
std::string write_files(const std::vector<OutputFile>& files);

/// Text to standard output when `path` is empty, else to the file `path` (as write_files).
std::string write_output(const std::string& path, const std::string& text);

/// A make/ninja depfile rule "OUTPUTS: INPUTS" with every path made absolute and escaped (space, '#', ':'
/// with a backslash, '$' doubled, backslashes before a space or '#' doubled). Returns "" with `error` set when
/// a path holds a line break, which a depfile cannot express.
std::string depfile_rule(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs,
                         std::string& error);

}  // namespace netc
