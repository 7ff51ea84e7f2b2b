/* SPDX-License-Identifier: MIT */
#include "nsrun/bpf.h"

#include <errno.h>
#include <linux/pkt_cls.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };

	return i;
}

void nsrun_bpf_loss_prog(uint64_t threshold, struct bpf_insn insns[NSRUN_BPF_LOSS_INSNS])
{
	/* The threshold goes in a 64-bit register and the comparison is
	 * 64-bit: r0 holds the zero-extended u32, so 2^32 drops everything and
	 * no sign extension of a 32-bit immediate can bite. */
	insns[0] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_prandom_u32);
	insns[1] = insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, 0, 0, (int32_t)(uint32_t)threshold);
	insns[2] = insn(0, 0, 0, 0, (int32_t)(uint32_t)(threshold >> 32));
	insns[3] = insn(BPF_JMP | BPF_JGE | BPF_X, BPF_REG_0, BPF_REG_1, 2, 0);
	insns[4] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, TC_ACT_SHOT);
	insns[5] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	insns[6] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, TC_ACT_OK);
	insns[7] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int nsrun_bpf_load_loss(uint64_t threshold, struct nsrun_err *err)
{
	struct bpf_insn insns[NSRUN_BPF_LOSS_INSNS];
	union bpf_attr attr;
	long fd;

	nsrun_bpf_loss_prog(threshold, insns);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insn_cnt = NSRUN_BPF_LOSS_INSNS;
	attr.insns = (uint64_t)(uintptr_t)insns;
	/* No GPL-only helper is called, so the project's own licence will do. */
	attr.license = (uint64_t)(uintptr_t)"MIT";
	memcpy(attr.prog_name, "nsrun_loss", sizeof("nsrun_loss"));
	/* Program fds are always close-on-exec. */
	fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0) {
		int e = errno;

		if (e == EPERM)
			return nsrun_err_set(err, e,
					     "load the loss program: permission denied (needs CAP_BPF or CAP_SYS_ADMIN)");
		if (e == ENOSYS)
			return nsrun_err_set(err, e,
					     "load the loss program: the kernel has no bpf(2) (CONFIG_BPF_SYSCALL)");
		return nsrun_err_sys(err, e, "load the loss program");
	}
	return (int)fd;
}
