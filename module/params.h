/* SPDX-License-Identifier: GPL-2.0 */
/* Module parameters the capture path reads (defined in main.c). */
#ifndef RMT_PARAMS_H
#define RMT_PARAMS_H

#include <linux/compiler.h>
#include <linux/types.h>

extern unsigned int rmt_snaplen;	/* messages per call of new sessions */
extern bool rmt_time64;			/* also capture recvmmsg_time64 */

#endif /* RMT_PARAMS_H */
