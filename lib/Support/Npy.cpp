//===- Npy.cpp - Reading and writing float32 .npy files -------------------===//

#include "mlg/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <optional>

using namespace llvm;

namespace mlg::npy {

static constexpr StringLiteral kMagic("\x93NUMPY");

int64_t numElements(ArrayRef<int64_t> shape) {
  // A file's header may claim any shape: saturate rather than overflow.
  if (llvm::is_contained(shape, 0))
    return 0;
  uint64_t n = 1;
  for (int64_t d : shape) {
    bool overflow = false;
    n = SaturatingMultiply(n, static_cast<uint64_t>(d), &overflow);
    if (overflow || n > uint64_t(INT64_MAX))
      return INT64_MAX;
  }
  return static_cast<int64_t>(n);
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (i)
      s += ", ";
    s += std::to_string(d);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

namespace {
/// The header dictionary: a Python literal such as
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
struct Header {
  std::optional<std::string> descr;
  std::optional<bool> fortranOrder;
  std::optional<std::vector<int64_t>> shape;
};

class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  /// Returns an error message, or "" on success.
  std::string parse(Header &header) {
    if (!consume('{'))
      return "expected '{'";
    while (!consume('}')) {
      std::string key;
      if (!parseString(key))
        return "expected a quoted key";
      if (!consume(':'))
        return "expected ':' after '" + key + "'";
      if (key == "descr") {
        std::string descr;
        if (!parseString(descr))
          return "'descr' is not a string";
        header.descr = descr;
      } else if (key == "fortran_order") {
        skipSpace();
        if (rest.consume_front("True"))
          header.fortranOrder = true;
        else if (rest.consume_front("False"))
          header.fortranOrder = false;
        else
          return "'fortran_order' is not True or False";
      } else if (key == "shape") {
        std::vector<int64_t> shape;
        if (!parseShape(shape))
          return "'shape' is not a tuple of non-negative integers";
        header.shape = shape;
      } else {
        return "unknown key '" + key + "'";
      }
      if (!consume(',')) {
        if (!consume('}'))
          return "expected ',' or '}'";
        break;
      }
    }
    skipSpace();
    if (!rest.empty())
      return "unexpected text after the dictionary";
    return "";
  }

private:
  void skipSpace() { rest = rest.ltrim(" \t\n\r"); }
  bool consume(char c) {
    skipSpace();
    return rest.consume_front(StringRef(&c, 1));
  }
  bool parseString(std::string &out) {
    skipSpace();
    if (rest.empty() || (rest[0] != '\'' && rest[0] != '"'))
      return false;
    char quote = rest[0];
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return false;
    out = rest.substr(1, end - 1).str();
    rest = rest.drop_front(end + 1);
    return true;
  }
  bool parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipSpace();
      size_t digits = rest.find_first_not_of("0123456789");
      if (digits == 0 || digits == StringRef::npos)
        return false;
      int64_t d;
      if (rest.substr(0, digits).getAsInteger(10, d))
        return false;
      shape.push_back(d);
      rest = rest.drop_front(digits);
      skipSpace();
      if (rest.consume_front(","))
        continue;
      if (!consume(')'))
        return false;
      break;
    }
    return true;
  }

  StringRef rest;
};
} // namespace

static Error fail(StringRef name, const Twine &message) {
  return createStringError(inconvertibleErrorCode(),
                           Twine(name) + ": " + message);
}

Expected<Float32Array> parseFloat32(StringRef bytes, StringRef name) {
  if (!bytes.starts_with(kMagic))
    return fail(name, "not an .npy file (bad magic string)");
  if (bytes.size() < kMagic.size() + 2)
    return fail(name, "truncated .npy header");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  unsigned minor = static_cast<uint8_t>(bytes[7]);
  size_t lengthBytes;
  if (major == 1)
    lengthBytes = 2;
  else if (major == 2 || major == 3)
    lengthBytes = 4;
  else
    return fail(name, "unsupported .npy format version " + Twine(major) + "." +
                          Twine(minor) + " (expected 1.0, 2.0 or 3.0)");
  size_t prefix = 8 + lengthBytes;
  if (bytes.size() < prefix)
    return fail(name, "truncated .npy header");
  uint64_t headerLength =
      lengthBytes == 2
          ? support::endian::read16le(bytes.data() + 8)
          : support::endian::read32le(bytes.data() + 8);
  if (bytes.size() - prefix < headerLength)
    return fail(name, "truncated .npy header (" + Twine(headerLength) +
                          " header bytes announced, " +
                          Twine(bytes.size() - prefix) + " present)");

  Header header;
  std::string problem =
      HeaderParser(bytes.substr(prefix, headerLength)).parse(header);
  if (!problem.empty())
    return fail(name, "malformed .npy header: " + problem);
  if (!header.descr || !header.fortranOrder || !header.shape)
    return fail(name, "malformed .npy header: 'descr', 'fortran_order' and "
                      "'shape' are required");
  if (*header.descr != "<f4")
    return fail(name, "dtype '" + *header.descr +
                          "', expected '<f4' (little-endian float32)");
  if (*header.fortranOrder)
    return fail(name, "Fortran-order array; expected C order (save "
                      "np.ascontiguousarray(a))");

  Float32Array array;
  array.shape = *header.shape;
  int64_t count = numElements(array.shape);
  StringRef data = bytes.drop_front(prefix + headerLength);
  // Saturated: a shape beyond 2^62 elements is "truncated data" as well.
  uint64_t expected = SaturatingMultiply(static_cast<uint64_t>(count),
                                         uint64_t(sizeof(float)));
  if (data.size() < expected)
    return fail(name, "truncated data: shape " + formatShape(array.shape) +
                          " of float32 needs " + Twine(expected) +
                          " bytes, the file has " + Twine(data.size()));
  if (data.size() > expected)
    return fail(name, Twine(data.size() - expected) +
                          " unexpected bytes after the data of shape " +
                          formatShape(array.shape));
  array.data.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    uint32_t bits = support::endian::read32le(data.data() + 4 * i);
    std::memcpy(&array.data[i], &bits, sizeof(float));
  }
  return array;
}

Expected<Float32Array> readFloat32(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, "cannot read: " + buffer.getError().message());
  return parseFloat32((*buffer)->getBuffer(), path);
}

std::string serializeFloat32(ArrayRef<int64_t> shape, ArrayRef<float> data) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " +
                     formatShape(shape) + ", }";
  // The data starts at a multiple of 64 bytes; the header ends in '\n'.
  size_t lengthBytes = 2;
  auto padded = [&](size_t lenBytes) {
    size_t unpadded = kMagic.size() + 2 + lenBytes + dict.size() + 1;
    return dict.size() + 1 + (64 - unpadded % 64) % 64;
  };
  size_t headerLength = padded(lengthBytes);
  if (headerLength > 0xffff) {
    lengthBytes = 4;
    headerLength = padded(lengthBytes);
  }
  std::string out(kMagic);
  out.push_back(lengthBytes == 2 ? 1 : 2);
  out.push_back(0);
  char length[4];
  if (lengthBytes == 2)
    support::endian::write16le(length, headerLength);
  else
    support::endian::write32le(length, headerLength);
  out.append(length, lengthBytes);
  out += dict;
  out.append(headerLength - dict.size() - 1, ' ');
  out.push_back('\n');
  for (float f : data) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(float));
    char word[4];
    support::endian::write32le(word, bits);
    out.append(word, 4);
  }
  return out;
}

Error writeFloat32(StringRef path, ArrayRef<int64_t> shape,
                   ArrayRef<float> data) {
  std::string bytes = serializeFloat32(shape, data);
  return writeToOutput(path, [&](raw_ostream &os) {
    os << bytes;
    return Error::success();
  });
}

} // namespace mlg::npy
