/* backend_devices.h: several devices in one process (`--devices LIST|all`, issue 19): a backend
 * that cuts each job into contiguous shares of work units (or Sobol batches), runs share k on
 * the inner backend with device index devices[k], one host thread each, and merges the shares
 * in unit order (host/backend_devices.c). */
#ifndef THIRST_BACKEND_DEVICES_H
#define THIRST_BACKEND_DEVICES_H

#include "backend.h"

#define BACKEND_MAX_DEVICES 16

/* The backend that runs jobs across devices[0..count) on inner; inner itself for one device.
 * One such backend per process (the last call's devices). */
const backend *backend_devices(const backend *inner, const int *devices, int count);

#endif
