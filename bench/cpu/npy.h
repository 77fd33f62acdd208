//===- npy.h - Minimal float32 .npy reading and writing for the harnesses -===//
//
// Only what the benchmarks exchange with Python: C-order little-endian
// float32 arrays ('<f4'), format versions 1 to 3 on input, version 1 on
// output. Errors are returned as messages, not thrown.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_BENCH_CPU_NPY_H
#define MLG_BENCH_CPU_NPY_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace bench {

struct Float32Array {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Reads path into out; returns an empty string or an error message.
inline std::string readNpy(const std::string &path, Float32Array &out) {
  FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return path + ": cannot open";
  unsigned char preamble[8];
  std::string error;
  uint32_t headerLength = 0;
  if (std::fread(preamble, 1, 8, file) != 8 ||
      std::string(reinterpret_cast<char *>(preamble), 6) != "\x93NUMPY") {
    error = path + ": not an .npy file";
  } else if (preamble[6] == 1) {
    unsigned char length[2];
    if (std::fread(length, 1, 2, file) != 2)
      error = path + ": truncated header";
    headerLength = length[0] | (length[1] << 8);
  } else {
    unsigned char length[4];
    if (std::fread(length, 1, 4, file) != 4)
      error = path + ": truncated header";
    headerLength = length[0] | (length[1] << 8) | (length[2] << 16) |
                   (uint32_t(length[3]) << 24);
  }
  std::string header(headerLength, '\0');
  if (error.empty() &&
      std::fread(header.data(), 1, headerLength, file) != headerLength)
    error = path + ": truncated header";
  if (error.empty() && header.find("'descr': '<f4'") == std::string::npos)
    error = path + ": not little-endian float32";
  if (error.empty() &&
      header.find("'fortran_order': False") == std::string::npos)
    error = path + ": not C order";
  size_t open = header.find("'shape': (");
  size_t close = header.find(')', open);
  if (error.empty() && (open == std::string::npos || close == std::string::npos))
    error = path + ": no shape in the header";
  if (error.empty()) {
    out.shape.clear();
    int64_t count = 1;
    for (size_t i = open + 10; i < close;) {
      if (header[i] < '0' || header[i] > '9') {
        ++i;
        continue;
      }
      size_t end = i;
      int64_t dim = std::stoll(header.substr(i), &end);
      out.shape.push_back(dim);
      count *= dim;
      i += end;
    }
    out.data.resize(count);
    if (std::fread(out.data.data(), sizeof(float), count, file) !=
        static_cast<size_t>(count))
      error = path + ": truncated data";
  }
  std::fclose(file);
  return error;
}

/// Writes a version-1 .npy file; returns an empty string or an error message.
inline std::string writeNpy(const std::string &path,
                            const std::vector<int64_t> &shape,
                            const std::vector<float> &data) {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i)
    dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    dims += ",";
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file)
    return path + ": cannot create";
  unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                static_cast<unsigned char>(header.size()),
                                static_cast<unsigned char>(header.size() >> 8)};
  bool ok = std::fwrite(preamble, 1, 10, file) == 10 &&
            std::fwrite(header.data(), 1, header.size(), file) ==
                header.size() &&
            std::fwrite(data.data(), sizeof(float), data.size(), file) ==
                data.size();
  ok = (std::fclose(file) == 0) && ok;
  return ok ? "" : path + ": cannot write";
}

} // namespace bench

#endif // MLG_BENCH_CPU_NPY_H
