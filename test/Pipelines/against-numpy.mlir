// Every layout through mlg-compress, the stored generators regenerated in
// float64 by numpy from the output text and compared with the original
// weights: the recorded mlg.rel_error must be the true error, and the
// error-targeted modes must meet their targets.
// RUN: %python %S/Inputs/check_compression.py mlg-opt "bi=2 bc=4 qb=3 qu=6 qv=3" | FileCheck %s
// RUN: %python %S/Inputs/check_compression.py mlg-opt "bi=2 bc=4 qb=8 qu=8 qv=8 refine-iterations=0" | FileCheck %s
// RUN: %python %S/Inputs/check_compression.py mlg-opt "decompose-mode=auto max-rel-error=0.3 precision-mode=budget precision-max-rel-error=0.35" --max-error 0.35 | FileCheck %s --check-prefix=AUTO
// RUN: %python %S/Inputs/check_compression.py mlg-opt "decompose-mode=auto max-rel-error=0.1 precision-mode=budget precision-max-rel-error=0.12 max-bits=12" --max-error 0.12 | FileCheck %s --check-prefix=AUTO

// CHECK:      nchw.3x3: numpy {{.*}} ok
// CHECK:      linear: dense
// CHECK:      7 layers checked, 0 failed
// AUTO:       nchw.3x3: numpy {{.*}} ok
// AUTO:       7 layers checked, 0 failed
