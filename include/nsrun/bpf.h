/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_BPF_H
#define NSRUN_BPF_H

#include <linux/bpf.h>
#include <stdint.h>

#include "nsrun/err.h"

/*
 * The random dropper that stands in for netem's loss on kernels without
 * netem: a tc (BPF_PROG_TYPE_SCHED_CLS) program of eight hand-assembled
 * instructions, for cls_bpf in direct-action mode:
 *
 *     r0 = bpf_get_prandom_u32()
 *     r1 = threshold              (64-bit immediate: 2^32 drops everything)
 *     if r0 >= r1 goto pass
 *     return TC_ACT_SHOT
 *   pass:
 *     return TC_ACT_OK
 */

#define NSRUN_BPF_LOSS_INSNS 8

/* Pure: writes the program for threshold (0 .. 2^32) into insns. */
void nsrun_bpf_loss_prog(uint64_t threshold, struct bpf_insn insns[NSRUN_BPF_LOSS_INSNS]);

/* bpf(BPF_PROG_LOAD): returns the program's fd (close-on-exec) or -errno. */
int nsrun_bpf_load_loss(uint64_t threshold, struct nsrun_err *err);

#endif
