// Result<T, E>: a value or an error, for infrastructure failures that are values, not exceptions.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace xy {

template <class T, class E = std::string>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  static Result failure(E error) { return Result(std::in_place_index<1>, std::move(error)); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const { return std::get<1>(v_); }

 private:
  template <std::size_t I, class U>
  Result(std::in_place_index_t<I> tag, U&& u) : v_(tag, std::forward<U>(u)) {}
  std::variant<T, E> v_;
};

}  // namespace xy
