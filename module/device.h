/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/recvmmsg_trace: read(), poll() and the ioctls. */
#ifndef RMT_DEVICE_H
#define RMT_DEVICE_H

int rmt_device_init(void);
void rmt_device_exit(void);

#endif /* RMT_DEVICE_H */
