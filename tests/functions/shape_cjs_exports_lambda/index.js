exports.lambda = async (input) => 'exports.lambda';
