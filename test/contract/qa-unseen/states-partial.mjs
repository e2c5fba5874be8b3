// Sets up 'pets exist' only: 'a pet exists' has no handler.
export const stateHandlers = {
  'pets exist': async () => {},
};
