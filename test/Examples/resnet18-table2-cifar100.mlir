// The paper's Table 2 (ResNet-18, CIFAR-100, Ours-2-44-8-8-8 and -3-6-3) from
// the memory report, on the CIFAR ResNet-18 of the official code (no
// classifier bias; random weights: the ratios depend only on shapes).
// method.md §3.1 gives the accounting; refinement is skipped to stay fast.
// RUN: %python %mlg_src_root/examples/models/resnet18.py --dataset cifar100 --no-fc-bias -o %t.mlir
// RUN: mlg-opt %t.mlir --mlg-compress="bi=2 bc=44 qb=8 qu=8 qv=8 refine-iterations=0" --mlg-memory-report -o /dev/null | FileCheck %s --check-prefix=Q888
// RUN: mlg-opt %t.mlir --mlg-compress="bi=2 bc=44 qb=3 qu=6 qv=3 refine-iterations=0" --mlg-memory-report -o /dev/null | FileCheck %s --check-prefix=Q363

// Q888: total: 21 layers; parameters 11,220,032 dense, 601,600 stored
// Q888: parameter ratio: 0.0536
// Q888: official (all parameters) 0.0140
// Q363: parameter ratio: 0.0536
// Q363: official (all parameters) 0.0090
