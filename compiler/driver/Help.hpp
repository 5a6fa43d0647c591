// The help texts: `netc help` (the overview) and `netc help COMMAND` / `netc COMMAND --help` (one command's
// usage, options and an example).
#pragma once

#include <optional>
#include <string>

namespace netc {

/// The overview when `command` is empty, else that command's help; nullopt for an unknown command.
std::optional<std::string> help_text(const std::string& command);

}  // namespace netc
