export function RetentionNotice() {
  return <p class="retention">Messages are not stored. They disappear when this session ends.</p>;
}
