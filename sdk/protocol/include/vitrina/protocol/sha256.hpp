#pragma once
/// \file
/// SHA-256 (FIPS 180-4) in plain C++, for the proof-of-work that the widget computes in WASM
/// and the server checks. Not constant-time and not meant for secrets: the server's keyed
/// hashes use libsodium.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vitrina::protocol {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// Incremental hashing. Copyable, so a common prefix can be hashed once and its state reused.
class Sha256 {
 public:
  Sha256() noexcept;
  Sha256& update(std::string_view bytes) noexcept;
  /// The digest of everything given so far; the object may not be updated afterwards.
  Sha256Digest finish() noexcept;

 private:
  void block(const std::uint8_t* p) noexcept;

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed
};

/// SHA-256 of `bytes`.
Sha256Digest sha256(std::string_view bytes) noexcept;

/// Lower-case hexadecimal of a digest.
std::string to_hex(const Sha256Digest& digest);

}  // namespace vitrina::protocol
