export const stateHandlers = {
  'pets exist': async () => {},
  'a pet exists': async () => {},
};
