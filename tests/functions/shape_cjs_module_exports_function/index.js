module.exports = (input, cb) => {
  cb(null, { cjs: 'module.exports = function', payload: input.payload });
};
