/* SPDX-License-Identifier: GPL-2.0 */
/* Attaching to the syscall tracepoints and turning calls into records. */
#ifndef RMT_CAPTURE_H
#define RMT_CAPTURE_H

#include <linux/types.h>

int rmt_capture_init(void);
void rmt_capture_exit(void);
int rmt_capture_enable(void);
int rmt_capture_hold(u64 *hold);
void rmt_capture_unhold(u64 *hold);
void rmt_capture_disable(void);
int rmt_capture_reset(void);
u32 rmt_capture_info(void);

#endif /* RMT_CAPTURE_H */
