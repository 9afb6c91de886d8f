/** How a stored answer is named when someone hears a household already answered (收到/平安, 需要帮助, 已电话联系, 收到). */
export function answerWordKey(answer: string): string {
  switch (answer) {
    case 'help':
      return 'notices.answered.kind.help';
    case 'reached':
      return 'notices.answered.kind.reached';
    case 'confirmed':
      return 'notices.answered.kind.confirmed';
    default:
      return 'notices.answered.kind.ok';
  }
}
