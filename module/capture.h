/* SPDX-License-Identifier: GPL-2.0 */
/* Attaching to the syscall tracepoints and turning calls into records. */
#ifndef RMT_CAPTURE_H
#define RMT_CAPTURE_H

#include <linux/types.h>

int rmt_capture_init(void);
void rmt_capture_exit(void);
int rmt_capture_enable(void);
void rmt_capture_disable(void);
int rmt_capture_reset(void);
bool rmt_capture_enabled(void);

#endif /* RMT_CAPTURE_H */
