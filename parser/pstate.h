/*
 * pstate.h - what a struct cgn_pstate holds. Private to parser/: callers
 * only create and free it (parser.h).
 */
#ifndef PSTATE_H
#define PSTATE_H

#include "parser.h"

struct cgn_pstate {
	uint64_t lines;		/* inputs seen: keeps the struct non-empty
				 * until the template cache arrives */
};

#endif /* PSTATE_H */
