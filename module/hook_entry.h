/* SPDX-License-Identifier: GPL-2.0 */
/* The entry hook: kretprobes on the compat entry points (hook=entry). */
#ifndef RMT_HOOK_ENTRY_H
#define RMT_HOOK_ENTRY_H

#include <linux/types.h>

/* Upper bound of the maxactive parameter. */
#define RMT_MAXACTIVE_MAX	16384

/*
 * Register the kretprobes, disarmed, each able to follow @maxactive calls
 * at once (0: a size for this machine). Logs why when it cannot.
 */
int rmt_entry_init(unsigned int maxactive);
void rmt_entry_exit(void);
/* Arm and disarm them: with the capture lock held (capture.c). */
int rmt_entry_attach(void);
void rmt_entry_detach(void);
/* Calls they could not follow since load (modulo 2^32). */
u32 rmt_entry_missed(void);
/* Calls each can follow at once; 0 when not registered. */
unsigned int rmt_entry_maxactive(void);

#endif /* RMT_HOOK_ENTRY_H */
