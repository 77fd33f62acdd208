/*===- CABITypes.h - Types of the MLG C ABI (docs/c-abi.md) --------*- C -*-===*
 *
 * The model description of a library compiled by mlgc. This file is the one
 * source of these types: mlgc copies it verbatim into every generated header,
 * and runners such as mlg-run include it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef MLG_C_ABI_TYPES_V1
#define MLG_C_ABI_TYPES_V1

#include <stdint.h>

/* Version of the ABI below; mlg_model()->abi_version holds the library's. */
#define MLG_ABI_VERSION 1u

/* Element types of mlg_tensor_t::dtype. */
#define MLG_DTYPE_F32 1

/* One input or output: element type, rank and shape (NULL when rank is 0).
 * Buffers are contiguous and row-major. */
typedef struct mlg_tensor {
  int32_t dtype;
  int32_t rank;
  const int64_t *shape;
} mlg_tensor_t;

/* One entry point. invoke(inputs, outputs) calls mlg_<name> with the
 * buffers listed in the two arrays, in order, and returns its result. */
typedef struct mlg_entry {
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const mlg_tensor_t *inputs;
  const mlg_tensor_t *outputs;
  int32_t (*invoke)(void *const *inputs, void *const *outputs);
} mlg_entry_t;

typedef struct mlg_model {
  uint32_t abi_version;
  uint32_t num_entries;
  const mlg_entry_t *entries;
} mlg_model_t;

#endif /* MLG_C_ABI_TYPES_V1 */
