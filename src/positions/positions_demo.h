// The positions part of `gmg demo load`: clearly labelled ("Demo: …") common positions — one
// adopted with its versions and closed consensus round, one in consultation with comments, one
// in a silence-procedure round closing in about five days with several stands, one of them by
// a delegate (a demo member user of ILO, created here with a random password).
// Thread-safety: one call at a time (the CLI).
#pragma once

#include <cstdint>

#include "auth/auth_service.h"
#include "core/result.h"
#include "positions/position_service.h"
#include "store/database.h"

namespace gmg {

// Adds the set once (none when a "Demo:" position exists); returns how many positions it added.
Result<int> LoadDemoPositions(Database& db, PositionService& positions, AuthService& auth,
                              int64_t now);

}  // namespace gmg
