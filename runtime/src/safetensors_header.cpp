// Validation of a safetensors file's header and layout: the length prefix, the JSON, each tensor's entry,
// and that the tensors tile the data section exactly. Every check reads only inside the given bytes. The JSON
// is read as events (nlohmann's SAX interface) and each value is checked where it stands, so a header of the
// wrong structure stops at its first value out of place: no document is built, nothing deeper than a
// header's three levels is accepted, and memory follows the entries kept.
#include <algorithm>
#include <limits>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "netc/safetensors.hpp"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "netc's safetensors code assumes a little-endian host (the format is little-endian)"
#endif

namespace netc::rt {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // as the reference implementation
constexpr std::size_t kMaxDepth = 3;                    // the header object, its entries, their arrays
constexpr std::size_t kQuoted = 40;                     // characters of a bad value that a message shows

/// The safetensors dtypes and their bytes per element, in the specification's order.
struct Dtype {
  const char* name;
  std::uint64_t size;
};
constexpr Dtype kDtypes[] = {{"F64", 8},     {"F32", 4},     {"F16", 2}, {"BF16", 2}, {"F8_E4M3", 1},
                             {"F8_E5M2", 1}, {"I64", 8},     {"I32", 4}, {"I16", 2},  {"I8", 1},
                             {"U64", 8},     {"U32", 4},     {"U16", 2}, {"U8", 1},   {"BOOL", 1}};

/// Bytes per element of the dtype called name, or 0 when there is no such dtype.
std::uint64_t dtype_size(const std::string& name) {
  for (const Dtype& d : kDtypes)
    if (name == d.name) return d.size;
  return 0;
}

std::string dtype_list() {
  std::string out;
  for (const Dtype& d : kDtypes) out += (out.empty() ? "" : ", ") + std::string(d.name);
  return out;
}

/// Throws a WeightsError whose message starts with prefix ("file: " or "file: tensor 'x': ").
struct Fail {
  std::string prefix;
  [[noreturn]] void operator()(const std::string& message) const { throw WeightsError(prefix + message); }
};

/// JSON text as a message quotes it: cut after kQuoted characters (at a UTF-8 character boundary).
std::string cut(const std::string& text) {
  if (text.size() <= kQuoted) return text;
  std::size_t end = kQuoted;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

std::uint64_t read_le_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/// Where the reader stands: what the value that comes next must be.
enum class Place { Top, Header, Metadata, Entry, Shape, Offsets, Other };

/// A value being written out for a message, from its events, until it is kQuoted characters long or ends.
struct Quote {
  std::string text;
  std::vector<bool> first;  // per open container: whether it has no element yet
  bool after_key = false;
  std::string before, after;  // the message around the quoted value

  void value(const std::string& json_text) {
    if (!first.empty() && !first.back() && !after_key) text += ',';
    if (!first.empty()) first.back() = false;
    after_key = false;
    text += json_text;
  }
  void open(char bracket) {
    value(std::string(1, bracket));
    first.push_back(true);
  }
  void close(char bracket) {
    text += bracket;
    first.pop_back();
  }
  void key(const std::string& name) {
    value(json(name).dump() + ":");
    after_key = true;
  }
  bool done() const { return first.empty() || text.size() > kQuoted; }
};

/// The checks of one entry that need all its fields. Its shape's size in bytes for element_size-byte elements.
template <class F>
std::uint64_t shape_bytes(const TensorInfo& info, std::uint64_t element_size, const F& fail) {
  std::uint64_t count = 1;
  bool overflow = false, empty = false;
  for (std::int64_t d : info.shape) {
    const auto dim = static_cast<std::uint64_t>(d);
    empty = empty || dim == 0;
    overflow = overflow || (dim != 0 && count > std::numeric_limits<std::uint64_t>::max() / dim);
    count *= dim;
  }
  overflow = overflow || count > std::numeric_limits<std::uint64_t>::max() / element_size;
  if (empty) return 0;
  if (overflow)
    fail("shape " + shape_to_string(info.shape) + " of " + info.dtype +
         " is too large (its byte size overflows 64 bits)");
  return count * element_size;
}

/// Checks info's offsets against the data section's size and the tensor's byte size.
template <class F>
void check_offsets(const TensorInfo& info, std::uint64_t data_size, std::uint64_t bytes, const F& fail) {
  const std::string range = "[" + std::to_string(info.begin) + ", " + std::to_string(info.end) + "]";
  if (info.begin > info.end) fail("data_offsets " + range + " have begin > end");
  if (info.end > data_size)
    fail("data_offsets " + range + " end past the data section, which is " + std::to_string(data_size) + " bytes");
  if (info.end - info.begin != bytes)
    fail("data_offsets " + range + " hold " + std::to_string(info.end - info.begin) + " bytes, expected " +
         std::to_string(bytes) + " for shape " + shape_to_string(info.shape) + " of " + info.dtype);
}

/// The header's events (nlohmann::json_sax), checked as they come; throws a WeightsError at the first problem.
class HeaderReader : public nlohmann::json_sax<json> {
 public:
  HeaderReader(const std::string& name, std::uint64_t data_size) : file_{name + ": "}, data_size_(data_size) {}

  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> metadata;

  // Scalars' JSON text is made only when a message quotes it.
  bool null() override { return scalar([] { return std::string("null"); }); }
  bool boolean(bool value) override { return scalar([=] { return std::string(value ? "true" : "false"); }); }
  bool number_integer(std::int64_t value) override { return scalar([=] { return std::to_string(value); }); }
  bool number_unsigned(std::uint64_t value) override { return scalar([=] { return std::to_string(value); }, &value); }
  bool number_float(double value, const std::string&) override { return scalar([=] { return json(value).dump(); }); }
  bool string(std::string& value) override { return scalar([&] { return json(value).dump(); }, nullptr, &value); }
  bool binary(json::binary_t&) override { return scalar([] { return std::string("<binary>"); }); }
  bool start_object(std::size_t) override { return open('{'); }
  bool start_array(std::size_t) override { return open('['); }
  bool end_object() override { return close('}'); }
  bool end_array() override { return close(']'); }
  bool key(std::string& name) override;
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    if (quote_) throw_quote(true);  // a value already known to be wrong, cut short by the end of the header
    file_("header is not valid JSON: " + std::string(e.what()));
  }

 private:
  struct Level {
    Place place;
    std::set<std::string> keys;  // seen in this object (the header's tensor names are in names_)
  };

  template <class Text>
  bool scalar(const Text& text, const std::uint64_t* count = nullptr, std::string* string = nullptr);
  bool open(char bracket);
  bool close(char bracket);
  bool misplaced(Place place, char bracket);
  // Starts quoting a bad value; `opened` is the text of its container read so far, when the value is an element.
  void start_quote(std::string before, std::string after, std::string opened = "", bool opened_empty = true);
  [[noreturn]] void throw_quote(bool unfinished = false) const {
    const std::string& text = quote_->text;
    throw WeightsError(quote_->before + cut(text) + (unfinished && text.size() <= kQuoted ? "..." : "") +
                       quote_->after);
  }
  bool quoted(bool more) {
    if (quote_->done()) throw_quote();
    return more;
  }
  void finish_entry(const std::set<std::string>& fields);
  Fail entry_fail() const { return Fail{file_.prefix + "tensor '" + entry_.name + "': "}; }
  static const char* expected_for(const std::string& field);

  Fail file_;
  std::uint64_t data_size_;
  std::vector<Level> levels_;
  std::string key_;             // the last key read
  std::optional<Quote> quote_;  // a bad value being quoted
  TensorInfo entry_;            // the entry being read
  std::string offsets_text_;    // its data_offsets as read so far, for a message
  std::size_t offsets_read_ = 0;
  std::set<std::string, std::less<>> names_;
};

// What a value of one of an entry's fields must be, in the words of the messages.
const char* HeaderReader::expected_for(const std::string& field) {
  if (field == "dtype") return ", expected a string";
  if (field == "shape") return ", expected an array of non-negative integers";
  return ", expected [begin, end] with non-negative integers";
}

void HeaderReader::start_quote(std::string before, std::string after, std::string opened, bool opened_empty) {
  quote_.emplace();
  quote_->before = std::move(before);
  quote_->after = std::move(after);
  quote_->text = std::move(opened);
  if (!quote_->text.empty()) quote_->first.push_back(opened_empty);
}

bool HeaderReader::key(std::string& name) {
  if (quote_) {
    quote_->key(name);
    return quoted(true);
  }
  Level& level = levels_.back();
  const bool fresh = level.place == Place::Header ? names_.insert(name).second : level.keys.insert(name).second;
  if (!fresh) file_("header has the key '" + name + "' twice, expected unique keys");
  if (level.place != Place::Other) key_ = std::move(name);  // inside a field it does not define, messages name the field
  return true;
}

// A value that is not an array or an object: `count` is set for a non-negative integer, `string` for a string;
// text() is its JSON text.
template <class Text>
bool HeaderReader::scalar(const Text& text, const std::uint64_t* count, std::string* string) {
  if (quote_) {
    quote_->value(text());
    return quoted(true);
  }
  switch (levels_.empty() ? Place::Top : levels_.back().place) {
    case Place::Top: file_("header is " + cut(text()) + ", expected a JSON object");
    case Place::Header:
      if (key_ == "__metadata__") file_("\"__metadata__\" is " + cut(text()) + ", expected an object of strings");
      entry_.name = key_;
      entry_fail()("entry is " + cut(text()) + ", expected an object with dtype, shape, data_offsets");
    case Place::Metadata:
      if (!string) file_("__metadata__ '" + key_ + "' is " + cut(text()) + ", expected a string");
      metadata[key_] = std::move(*string);
      return true;
    case Place::Entry:
      if (key_ == "dtype" && string) entry_.dtype = std::move(*string);
      else if (key_ == "dtype" || key_ == "shape" || key_ == "data_offsets")
        entry_fail()("\"" + key_ + "\" is " + cut(text()) + expected_for(key_));
      return true;  // a field that safetensors does not define: ignored
    case Place::Shape:
      if (!count || *count > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        entry_fail()("shape[" + std::to_string(entry_.shape.size()) + "] is " + cut(text()) +
                     ", expected a non-negative integer below 2^63");
      entry_.shape.push_back(static_cast<std::int64_t>(*count));
      return true;
    case Place::Offsets:
      if (!count || offsets_read_ == 2) {
        start_quote(entry_fail().prefix + "\"data_offsets\" is ", expected_for("data_offsets"), offsets_text_,
                    offsets_read_ == 0);
        return scalar(text);
      }
      (offsets_read_ == 0 ? entry_.begin : entry_.end) = *count;
      offsets_text_ += (offsets_read_++ == 0 ? "" : ",") + text();
      return true;
    case Place::Other: return true;
  }
  return true;
}

bool HeaderReader::open(char bracket) {
  if (quote_) {
    quote_->open(bracket);
    return quoted(true);
  }
  const Place place = levels_.empty() ? Place::Top : levels_.back().place;
  const bool object = bracket == '{';
  const bool known_field = key_ == "dtype" || key_ == "shape" || key_ == "data_offsets";
  Place inner = Place::Top;  // Top: the value is out of place
  if (place == Place::Top && object) inner = Place::Header;
  if (place == Place::Header && object) inner = key_ == "__metadata__" ? Place::Metadata : Place::Entry;
  if (place == Place::Entry && !object && key_ == "shape") inner = Place::Shape;
  if (place == Place::Entry && !object && key_ == "data_offsets") inner = Place::Offsets;
  if (place == Place::Entry && !known_field) inner = Place::Other;  // a field safetensors does not define
  if (inner == Place::Top) return misplaced(place, bracket);
  levels_.push_back({inner, {}});
  if (inner == Place::Entry) {
    entry_ = TensorInfo{};
    entry_.name = std::move(key_);
    offsets_text_ = "[";
    offsets_read_ = 0;
  }
  return true;
}

// An array or object where the header has none: quoted in the message about that place, or, inside a field
// safetensors does not define, deeper than a header goes.
bool HeaderReader::misplaced(Place place, char bracket) {
  if (place == Place::Other)
    entry_fail()("\"" + key_ + "\" nests more than " + std::to_string(kMaxDepth) + " levels deep, expected a " +
                 "header of at most " + std::to_string(kMaxDepth) + " levels (the header object, its entries, and " +
                 "their arrays)");
  if (place == Place::Header) entry_.name = key_;
  const std::string tensor = entry_fail().prefix;
  switch (place) {
    case Place::Top: start_quote(file_.prefix + "header is ", ", expected a JSON object"); break;
    case Place::Header:
      if (key_ == "__metadata__") start_quote(file_.prefix + "\"__metadata__\" is ", ", expected an object of strings");
      else start_quote(tensor + "entry is ", ", expected an object with dtype, shape, data_offsets");
      break;
    case Place::Metadata: start_quote(file_.prefix + "__metadata__ '" + key_ + "' is ", ", expected a string"); break;
    case Place::Entry: start_quote(tensor + "\"" + key_ + "\" is ", expected_for(key_)); break;
    case Place::Shape:
      start_quote(tensor + "shape[" + std::to_string(entry_.shape.size()) + "] is ",
                  ", expected a non-negative integer below 2^63");
      break;
    case Place::Offsets:
      start_quote(tensor + "\"data_offsets\" is ", expected_for("data_offsets"), offsets_text_, offsets_read_ == 0);
      break;
    case Place::Other: break;
  }
  return open(bracket);
}

bool HeaderReader::close(char bracket) {
  if (quote_) {
    quote_->close(bracket);
    return quoted(true);
  }
  const Place place = levels_.back().place;
  if (place == Place::Offsets && offsets_read_ != 2) {
    start_quote(entry_fail().prefix + "\"data_offsets\" is ", expected_for("data_offsets"), offsets_text_,
                offsets_read_ == 0);
    return close(bracket);
  }
  if (place == Place::Entry) finish_entry(levels_.back().keys);
  levels_.pop_back();
  return true;
}

// The entry's checks that need all its fields: present, a known dtype, the shape's byte size, the offsets.
void HeaderReader::finish_entry(const std::set<std::string>& fields) {
  auto fail = [this](const std::string& message) { entry_fail()(message); };
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!fields.count(field)) fail(std::string("missing \"") + field + "\"");
  const std::uint64_t element_size = dtype_size(entry_.dtype);
  if (element_size == 0) fail("unknown dtype '" + entry_.dtype + "', expected one of " + dtype_list());
  check_offsets(entry_, data_size_, shape_bytes(entry_, element_size, fail), fail);
  tensors.push_back(std::move(entry_));
}

std::string describe_range(const TensorInfo& t) {
  return "'" + t.name + "' [" + std::to_string(t.begin) + ", " + std::to_string(t.end) + "]";
}

/// Checks that the tensors, sorted by offsets, tile [0, data_size) without overlaps, gaps or trailing bytes.
void check_tiling(const std::vector<TensorInfo>& sorted, std::uint64_t data_size, const Fail& fail) {
  std::uint64_t covered = 0;  // every byte before this belongs to a tensor
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const TensorInfo& t = sorted[i];
    if (t.begin < covered)
      fail("tensors " + describe_range(sorted[i - 1]) + " and " + describe_range(t) + " overlap in the data section");
    if (t.begin > covered)
      fail("data section bytes [" + std::to_string(covered) + ", " + std::to_string(t.begin) +
           ") belong to no tensor (a gap before " + describe_range(t) + "), expected tensors to follow each other");
    covered = t.end;
  }
  if (covered != data_size)
    fail("data section is " + std::to_string(data_size) + " bytes, expected " + std::to_string(covered) +
         " (where the last tensor ends): " + std::to_string(data_size - covered) + " trailing bytes");
}

}  // namespace

std::size_t SafeTensors::data_start(const unsigned char* first8, std::uint64_t file_size, const std::string& name) {
  const Fail fail{name + ": "};
  if (file_size < 8) fail("file is " + std::to_string(file_size) + " bytes, expected at least 8 (the header length)");
  const std::uint64_t header_size = read_le_u64(first8);
  if (header_size > kMaxHeaderBytes)
    fail("header length is " + std::to_string(header_size) + " bytes, expected at most " +
         std::to_string(kMaxHeaderBytes));
  if (header_size > file_size - 8)
    fail("header length is " + std::to_string(header_size) + " bytes, but only " + std::to_string(file_size - 8) +
         " bytes follow the length (truncated file?)");
  return 8 + static_cast<std::size_t>(header_size);
}

void SafeTensors::read_header(const unsigned char* header, std::size_t length, std::uint64_t data_size) {
  HeaderReader reader(display_name_, data_size);
  const char* text = reinterpret_cast<const char*>(header);
  json::sax_parse(text, text + length, &reader);
  const Fail fail{display_name_ + ": "};
  tensors_ = std::move(reader.tensors);
  metadata_ = std::move(reader.metadata);
  std::sort(tensors_.begin(), tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end < b.end : a.name < b.name;
  });
  check_tiling(tensors_, data_size, fail);
  for (std::size_t i = 0; i < tensors_.size(); ++i) index_.emplace(tensors_[i].name, i);
  used_.assign(tensors_.size(), false);
}

SafeTensors SafeTensors::parse(std::shared_ptr<const unsigned char> bytes, std::size_t size, std::string name) {
  SafeTensors file(std::move(bytes), size, std::move(name));
  file.data_start_ = data_start(file.bytes_.get(), size, file.display_name_);
  file.read_header(file.bytes_.get() + 8, file.data_start_ - 8, size - file.data_start_);
  return file;
}

}  // namespace netc::rt
