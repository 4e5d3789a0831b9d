/* dump.h: every draw's parameters and outputs as a structured .npy array (NumPy format 1.0),
 * one record per draw, fields named after the parameters and outputs, so that
 * np.load(f)['water_total_l'] and pandas.DataFrame(np.load(f)) work. Values are the CPU
 * reference's (float32; a choice over several parameters adds its option index as int32). */
#ifndef THIRST_DUMP_H
#define THIRST_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define DUMP_MAX_BYTES (1024ull * 1024 * 1024)   /* 1 GiB */

/* Bytes a dump of draws records would take (header excluded). */
uint64_t dump_bytes(const scenario *s, const draw_plan *plan, uint64_t draws);

/* Write draws 0..draws-1 of plan to path (atomically); THIRST_ERR_INPUT above DUMP_MAX_BYTES. */
int dump_write_npy(const char *path, const scenario *s, const draw_plan *plan, uint64_t draws,
                   char *err, size_t errlen);

#endif
